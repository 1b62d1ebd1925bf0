// Active probes for diagnose: a ping or a TCP connect from a namespace, with short timeouts,
// run through the CommandRunner. The argv/script builders are pure; runProbe does the I/O.
import type { CommandRunner } from '../exec/types.js';
import type { NamespaceKind } from '../../domain/snapshot/snapshot.js';
import type { ProbeOutcome, Target } from '../../domain/diagnose/types.js';

const TIMEOUT_S = 0.3;

/** The prefix that runs a command inside the namespace, from the world's root namespace. */
export function enterPrefix(ns: { name: string; kind: NamespaceKind }): string {
  if (ns.kind === 'host') return '';
  if (ns.kind === 'upstream') return 'nsenter --net=/run/tutor/upstream ';
  return `nsenter --net=/run/netns/${ns.name} `;
}

/** What the learner would run to try it (shown in the report). */
export function probeCommand(ns: { name: string; kind: NamespaceKind }, to: Target): string {
  const inNs = ns.kind === 'host' ? '' : ns.kind === 'upstream' ? 'nsenter --net=/run/tutor/upstream ' : `ip netns exec ${ns.name} `;
  return to.port === undefined
    ? `${inNs}ping -c1 -W${TIMEOUT_S} ${to.address}`
    : `${inNs}bash -c 'exec 3<>/dev/tcp/${to.address}/${to.port}'`;
}

/** The script: prints one line `RESULT detail`. */
export function probeScript(ns: { name: string; kind: NamespaceKind }, to: Target): string {
  const p = enterPrefix(ns);
  if (to.port === undefined) {
    return `out=$(${p}ping -n -c1 -W${TIMEOUT_S} ${to.address} 2>&1); rc=$?
case $rc in 0) echo "answered $(printf '%s' "$out" | grep -o 'time=[0-9.]* ms' | head -1)";; 1) echo "no-answer";; *) echo "error $(printf '%s' "$out" | tail -1)";; esac`;
  }
  return `out=$(${p}timeout ${TIMEOUT_S} bash -c 'exec 3<>/dev/tcp/${to.address}/${to.port}' 2>&1); rc=$?
case $rc in 0) echo "connected";; 124) echo "timeout";; *) echo "error $(printf '%s' "$out" | sed -n 's/.*: \\([^:]*\\)$/\\1/p' | tail -1)";; esac`;
}

export function parseProbe(stdout: string, command: string, ms: number): ProbeOutcome {
  const line = stdout.trim().split('\n').pop() ?? '';
  const [word, ...rest] = line.split(' ');
  const detail = rest.join(' ').trim();
  switch (word) {
    case 'answered':
      return { command, ok: true, result: 'answered', ...(detail ? { detail } : {}), ms };
    case 'connected':
      return { command, ok: true, result: 'connected', ms };
    case 'no-answer':
      return { command, ok: false, result: 'no answer', detail: `no reply within ${TIMEOUT_S * 1000} ms`, ms };
    case 'timeout':
      return { command, ok: false, result: 'timeout', detail: `no connection within ${TIMEOUT_S * 1000} ms`, ms };
    default:
      return { command, ok: false, result: /refused/i.test(detail) ? 'refused' : /unreachable/i.test(detail) ? 'unreachable' : 'error', ...(detail ? { detail } : {}), ms };
  }
}

export async function runProbe(runner: CommandRunner, ns: { name: string; kind: NamespaceKind }, to: Target): Promise<ProbeOutcome> {
  const started = performance.now();
  const r = await runner.run(probeScript(ns, to), { timeoutMs: 5000 });
  return parseProbe(r.stdout, probeCommand(ns, to), Math.round(performance.now() - started));
}
