// The floors for the course rows: the raw commands a step's checks need (no snapshot of the whole
// world, no parsing), and plain bash replaying lessons in a fresh `unshare` sandbox (the same
// world, no node, no checks). Pure: builds the scripts; course-rows.ts runs and times them.
import { HTTP_TIMEOUT_S, probeWaits } from '../src/world/probes/probe-scripts.js';
import { quoteForShell as quote } from '../src/domain/shell-quote.js';
import { sysctlName } from '../src/domain/checks/other-checks.js';
import type { Check } from '../src/domain/lesson/types.js';
import type { ReplayPart } from '../src/domain/lesson/replay-plan.js';
import { INIT_SCRIPT } from '../src/world/sandbox/init-script.js';

/** `cmd` run inside namespace `ns` (host: as it is). */
function inNs(ns: string, cmd: string): string {
  if (ns === 'host') return cmd;
  const path = ns === 'internet' ? '/run/tutor/upstream' : `/run/netns/${ns}`;
  return `nsenter --net=${quote(path)} ${cmd}`;
}

/** `ip ARGS` in namespace `ns`: `ip -n` needs no extra process for a named namespace. */
function ipIn(ns: string, args: string): string {
  if (ns === 'host' || ns === 'internet') return inNs(ns, `ip ${args}`);
  return `ip -n ${quote(ns)} ${args}`;
}

function reachCommand(c: Extract<Check, { kind: 'reach' }>): string {
  // the same waits as our probes: shorter where the check expects no answer
  const wait = probeWaits(c.fails ? { silence: true } : {});
  if (c.http) {
    const host = c.reach.includes(':') ? `[${c.reach}]` : c.reach;
    return inNs(c.from, `curl -sS --connect-timeout ${wait.connect} --max-time ${HTTP_TIMEOUT_S} ${quote(`http://${host}:${c.port ?? 80}${c.http.path}`)}`);
  }
  if (c.port !== undefined) return inNs(c.from, `timeout ${wait.tcp} bash -c ${quote(`exec 3<>/dev/tcp/${c.reach}/${c.port}`)}`);
  return inNs(c.from, `ping -n -q -c1 -W ${wait.ping} ${quote(c.reach)}`);
}

/** The raw commands that read what each check looks at, deduplicated: `ip -j` of the objects
 *  (in the check's namespace only), `iptables-save -t TABLE`, `ss`, `cat`, and the same
 *  ping/curl/TCP probe our checks send with the same timeouts. */
export function rawCheckCommands(checks: readonly Check[]): string[] {
  const cmds = new Set<string>();
  for (const c of checks) {
    switch (c.kind) {
      case 'netns':
        cmds.add('ip netns list');
        break;
      case 'link':
        cmds.add(ipIn(c.in, '-j -d link show'));
        if (c.peerIn) cmds.add(ipIn(c.peerIn, '-j -d link show'));
        break;
      case 'address':
        cmds.add(ipIn(c.in, '-j addr show'));
        break;
      case 'route':
        cmds.add(ipIn(c.in, '-j route show'));
        break;
      case 'sysctl':
        cmds.add(inNs(c.in, `cat /proc/sys/${sysctlName(c.sysctl).replace(/\./g, '/')}`));
        break;
      case 'file':
        cmds.add(`cat -- ${quote(c.file)}`);
        break;
      case 'rule':
        cmds.add(inNs(c.in, `iptables-save -t ${quote(c.rule.table)}`));
        break;
      case 'policy':
        cmds.add(inNs(c.in, `iptables-save -t ${quote(c.table)}`));
        break;
      case 'listening':
        cmds.add(inNs(c.in, 'ss -Hltn'));
        break;
      case 'reach':
        cmds.add(reachCommand(c));
        break;
      case 'shell':
        cmds.add(`(cd /root; bash -c ${quote(c.shell)} </dev/null)`);
        break;
    }
  }
  return [...cmds];
}

/** One bash script running those commands all at once (as our evaluation runs its snapshot and
 *  probes in parallel), their output going back to the caller unparsed. */
export function rawCheckScript(checks: readonly Check[]): string {
  return ['set +e', ...rawCheckCommands(checks).map((c) => `${c} 2>&1 &`), 'wait'].join('\n');
}

const INIT_READY = '\necho ready\n';

/** Replays (like src/domain/lesson/replay-plan.ts) run ping with a 10 ms interval and a 20 ms reply
 *  wait; the floor does the same, or its `ping -c2` alone would cost a second. */
const FAST_PING = String.raw`
mkdir -p /run/tutor/floor-bin
printf '#!/bin/bash\nexec -a ping %q "$@" -i 0.01 -W 0.02\n' "$(command -v ping)" >/run/tutor/floor-bin/ping
chmod 755 /run/tutor/floor-bin/ping
PATH=/run/tutor/floor-bin:$PATH
`;

/** Plain bash, run as the init of a fresh `unshare` sandbox: the sandbox init's own world-building
 *  (private /run, /etc and /root, lo, the simulated internet and its web server), then every part
 *  (files, setup, solutions) in order, each in a subshell from /root. No markers, no log, no
 *  checks; the whole sandbox ends with the script. */
export function plainReplayScript(parts: readonly ReplayPart[]): string {
  const at = INIT_SCRIPT.indexOf(INIT_READY);
  if (at < 0) throw new Error('bench: the sandbox init script no longer says "echo ready"; update bench/course-floors.ts');
  const world = INIT_SCRIPT.slice(0, at);
  return [world, 'set +eu', FAST_PING, ...parts.map((p) => `(cd /root; ${p.script}\n) </dev/null >/dev/null 2>&1`)].join('\n');
}
