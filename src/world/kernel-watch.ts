// Watches a sandbox's host namespace for changes the kernel reports, so commands typed anywhere
// (a second terminal with `netns-tutor shell --attach`) re-check the step. One long-lived process
// inside the sandbox: `ip monitor` for links, addresses, routes, rules and sysctl-driven netconf,
// and `nft monitor` for firewall and NAT rules (iptables-nft included).
//
// Neighbour events are left out on purpose: the checks' own probes (ping) create ARP entries,
// which would trigger another evaluation, and so on for ever. Changes inside named namespaces
// (fox, bear) are not visible from the host namespace at all; the runtime's idle re-check covers
// them. No monitor is started inside a named namespace: it would hold the namespace alive after
// `ip netns del`, changing what the lesson teaches.
import { spawn } from 'node:child_process';
import { killBelow } from './exec/process-tree.js';

export const WATCH_SCRIPT = 'ip monitor link address route rule netconf 2>/dev/null & command -v nft >/dev/null && nft monitor 2>/dev/null & wait';

export interface KernelWatch {
  stop(): void;
}

export function watchKernel(enterPrefix: readonly string[], env: Record<string, string>, onChange: () => void): KernelWatch {
  const child = spawn(enterPrefix[0]!, [...enterPrefix.slice(1), 'bash', '--norc', '--noprofile', '-c', WATCH_SCRIPT], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, ...env },
    // a session of its own: nothing inside gets the tutor's terminal
    detached: true,
  });
  child.stdout.on('data', () => onChange());
  child.on('error', () => {
    // without a watch, the idle re-check still sees every change, a little later
  });
  child.unref();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  return {
    stop() {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
      // what runs under nsenter; nsenter reaps it and exits (see killBelow)
      killBelow(child.pid);
    },
  };
}
