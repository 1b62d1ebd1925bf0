// Finding and signalling the descendants of a process, read from /proc (host view of PIDs).
import { readFileSync, readdirSync } from 'node:fs';

function childrenFromTaskFiles(pid: number): number[] | undefined {
  try {
    const tasks = readdirSync(`/proc/${pid}/task`);
    const out: number[] = [];
    for (const tid of tasks) {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8');
      for (const word of text.split(' ')) if (word.trim()) out.push(Number(word));
    }
    return out;
  } catch {
    return undefined;
  }
}

function childrenFromStat(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // the comm field may hold spaces and parentheses: the ppid follows the last ')'
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(name));
    } catch {
      // the process ended while we looked
    }
  }
  return out;
}

export function childrenOf(pid: number): number[] {
  return childrenFromTaskFiles(pid) ?? childrenFromStat(pid);
}

export function descendantsOf(pid: number): number[] {
  const out: number[] = [];
  const queue = childrenOf(pid);
  while (queue.length > 0) {
    const next = queue.shift()!;
    out.push(next);
    queue.push(...childrenOf(next));
  }
  return out;
}

export function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** SIGKILLs `root` and everything under it without missing a child forked meanwhile: the tree is
 *  stopped (SIGSTOP) and re-read until no new process appears, then killed leaves first. */
export function killTree(root: number, options: { includeRoot?: boolean } = {}): void {
  const seen: number[] = [];
  const known = new Set<number>();
  if (options.includeRoot !== false) signalAll([root], 'SIGSTOP');
  for (let round = 0; round < 20; round++) {
    const found = descendantsOf(root).filter((pid) => !known.has(pid));
    if (found.length === 0) break;
    for (const pid of found) known.add(pid);
    seen.push(...found);
    signalAll(found, 'SIGSTOP');
  }
  signalAll(seen.reverse(), 'SIGKILL');
  if (options.includeRoot !== false) signalAll([root], 'SIGKILL');
}

/** Kills everything under `parent` (a wrapper such as nsenter) but not `parent` itself, which then
 *  reaps its child and exits by itself. Each child is killed without being stopped first: nsenter
 *  stops itself when its child stops, and would never go on to reap it. (Killing the wrapper as
 *  well would leave its child a zombie for the host's init to reap, and a sandbox's PID namespace
 *  cannot end before that: a second or two on some hosts.) */
export function killBelow(parent: number): void {
  for (const child of childrenOf(parent)) {
    killTree(child, { includeRoot: false });
    signalAll([child], 'SIGKILL');
  }
}
