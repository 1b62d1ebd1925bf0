// Finding the processes of a sandbox from outside it: every process whose PID namespace is the
// sandbox's (read from /proc/PID/ns/pid, as this process sees it), and waiting until none is left.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

/** The PID namespace of a process, e.g. "pid:[4026532301]" (undefined once it is gone). */
export function pidNamespaceOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
}

export function netNamespaceOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/net`);
  } catch {
    return undefined;
  }
}

/** PIDs (host view) of the processes whose namespace of `kind` is `ns`. */
export function processesIn(ns: string, kind: 'pid' | 'net' | 'mnt' = 'pid'): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readlinkSync(`/proc/${name}/ns/${kind}`) === ns) out.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** Resolves once no process is left in `ns`, or with the survivors after `limitMs`. The limit
 *  only bounds a failing test; the assertion is on who is left, never on how long it took. */
export async function waitUntilEmpty(ns: string, limitMs = 10_000, kind: 'pid' | 'net' | 'mnt' = 'pid'): Promise<number[]> {
  const until = Date.now() + limitMs;
  for (;;) {
    const left = processesIn(ns, kind);
    if (left.length === 0 || Date.now() > until) return left;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Each survivor's command line, for a failure message. */
export function describeProcesses(pids: readonly number[]): string {
  return pids
    .map((pid) => {
      try {
        return `${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim()}`;
      } catch {
        return `${pid}`;
      }
    })
    .join('\n');
}
