// The host's network and system state as netns-tutor could plausibly change it, captured as
// normalised text per section, and the comparison that proves a run left it byte-for-byte alone.
// Used by test/global-setup.ts around the whole suite and by tests that want a local proof.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';

/** Section name -> normalised text. Sections that could not be read hold a stable
 *  "(unavailable: why)" so a missing tool never looks like a change. */
export type HostState = Record<string, string>;

/** Sections whose change is reported but does not fail the run, and why. */
export const NOTE_ONLY: Record<string, string> = {
  modules:
    'kernel modules load on demand (a bridge, nf_tables) even from inside a namespace and cannot be unloaded by us; ' +
    'loading one changes no rule, link or route',
};

function run(argv: string[]): string {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 10_000 });
  if (r.error) return `(unavailable: ${argv[0]} ${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`;
  if (r.status !== 0) return `(unavailable: ${argv.join(' ')} exited ${r.status}: ${r.stderr.trim().split('\n')[0] ?? ''})`;
  return r.stdout;
}

function readOr(path: string, fallback = '(absent)'): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return fallback;
  }
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortedKeys(v)]),
    );
  }
  return value;
}

/** One line per JSON array element, keys sorted, volatile keys dropped, lines sorted. */
export function normaliseJsonList(text: string, drop: readonly string[] = []): string {
  if (text.startsWith('(unavailable')) return text;
  let items: unknown[];
  try {
    items = JSON.parse(text || '[]') as unknown[];
  } catch {
    return `(unparsable) ${text}`;
  }
  return items
    .map((item) => {
      const copy = { ...(item as Record<string, unknown>) };
      for (const k of drop) delete copy[k];
      return JSON.stringify(sortedKeys(copy));
    })
    .sort()
    .join('\n');
}

/** iptables-save without its timestamped comments and packet counters. */
export function normaliseIptablesSave(text: string): string {
  if (text.startsWith('(unavailable')) return text;
  return text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]/g, '[0:0]'))
    .join('\n');
}

/** nft list ruleset without counters, quotas' usage and set elements' expiry. */
export function normaliseNftRuleset(text: string): string {
  if (text.startsWith('(unavailable')) return text;
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) =>
      l
        .replace(/counter packets \d+ bytes \d+/g, 'counter')
        .replace(/ used \d+ bytes/g, '')
        .replace(/ expires \S+/g, ''),
    )
    .join('\n');
}

/** Mount point, type and source of every mount this process sees, sorted (IDs dropped). */
export function normaliseMountinfo(text: string): string {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [left = '', right = ''] = line.split(' - ');
      const mountPoint = left.split(' ')[4] ?? '?';
      const [fstype = '?', source = '?'] = right.split(' ');
      return `${mountPoint} ${fstype} ${source}`;
    })
    .sort()
    .join('\n');
}

function listNetns(): string {
  try {
    return readdirSync('/run/netns').sort().join('\n') || '(empty)';
  } catch {
    return '(no /run/netns)';
  }
}

function sha256(path: string): string {
  return existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : '(absent)';
}

const SYSCTLS = [
  'net/ipv4/ip_forward',
  'net/ipv4/conf/all/forwarding',
  'net/ipv6/conf/all/forwarding',
  'net/bridge/bridge-nf-call-iptables',
  'user/max_user_namespaces',
  'kernel/unprivileged_userns_clone',
  'kernel/apparmor_restrict_unprivileged_userns',
];

export function captureHostState(): HostState {
  return {
    links: normaliseJsonList(run(['ip', '-j', 'link', 'show'])),
    netns: listNetns(),
    routes: [
      normaliseJsonList(run(['ip', '-j', '-4', 'route', 'show', 'table', 'all'])),
      normaliseJsonList(run(['ip', '-j', '-6', 'route', 'show', 'table', 'all']), ['expires']),
    ].join('\n'),
    'ip-rules': normaliseJsonList(run(['ip', '-j', 'rule', 'show'])),
    sysctls: SYSCTLS.map((s) => `${s.replace(/\//g, '.')} = ${readOr(`/proc/sys/${s}`)}`).join('\n'),
    iptables: normaliseIptablesSave(run(['iptables-save'])),
    ip6tables: normaliseIptablesSave(run(['ip6tables-save'])),
    nft: normaliseNftRuleset(run(['nft', 'list', 'ruleset'])),
    'sysctl.conf': `sha256 ${sha256('/etc/sysctl.conf')}`,
    mounts: normaliseMountinfo(readOr('/proc/self/mountinfo', '')),
    modules: readOr('/proc/modules', '')
      .split('\n')
      .map((l) => l.split(' ')[0] ?? '')
      .filter(Boolean)
      .sort()
      .join('\n'),
  };
}

export interface HostDiff {
  /** Changed sections that fail the run, each as a small line diff. */
  failures: string[];
  /** Changed note-only sections, each with the reason it does not fail. */
  notes: string[];
}

function lineDiff(before: string, after: string): string {
  const a = before.split('\n');
  const b = after.split('\n');
  const setA = new Set(a);
  const setB = new Set(b);
  const lines = [...a.filter((l) => !setB.has(l)).map((l) => `- ${l}`), ...b.filter((l) => !setA.has(l)).map((l) => `+ ${l}`)];
  return lines.length > 0 ? lines.join('\n') : '  (same lines, different order or count)';
}

export function diffHostState(before: HostState, after: HostState): HostDiff {
  const failures: string[] = [];
  const notes: string[] = [];
  for (const section of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[section] ?? '(missing)';
    const b = after[section] ?? '(missing)';
    if (a === b) continue;
    const text = `[${section}]\n${lineDiff(a, b)}`;
    const why = NOTE_ONLY[section];
    if (why) notes.push(`${text}\n  (not a failure: ${why})`);
    else failures.push(text);
  }
  return { failures, notes };
}

export function describeHostDiff(diff: HostDiff, what = 'the run'): string {
  const parts: string[] = [];
  if (diff.failures.length > 0) parts.push(`THE HOST CHANGED during ${what}:\n${diff.failures.join('\n')}`);
  if (diff.notes.length > 0) parts.push(`host changes noted during ${what}:\n${diff.notes.join('\n')}`);
  return parts.join('\n\n');
}

/** Throws, with the diff, when the host differs from `before` in any failing section. Note-only
 *  changes are written to stderr. */
export function assertHostUnchanged(before: HostState, what = 'this test'): void {
  const diff = diffHostState(before, captureHostState());
  if (diff.notes.length > 0 && diff.failures.length === 0) process.stderr.write(`${describeHostDiff(diff, what)}\n`);
  if (diff.failures.length > 0) throw new Error(describeHostDiff(diff, what));
}
