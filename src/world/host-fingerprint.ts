// The real host's state as netns-tutor could plausibly change it, read-only: links, namespaces,
// routes and rules, the sysctls that matter, iptables/ip6tables/nft rules, /etc/sysctl.conf,
// mounts (and kernel modules, noted only). One list of parts, each a script and its normaliser, so
// `test-lessons` and the test suite's own host checks compare the same things the same way.
import type { CommandRunner } from './exec/types.js';
import { NAMED_NETNS_DIR } from '../domain/sandbox-layout.js';

export interface HostPart {
  name: string;
  /** Checked with `command -v`: a part whose tool is missing is skipped, not a change. */
  tool: string;
  script: string;
  /** Drops what changes by itself (counters, timestamps, the order of lines). */
  normalise(text: string): string;
  /** Reported when it changes, but not a failure, and why. */
  noteOnly?: string;
}

export interface FingerprintPart {
  name: string;
  /** The normalised output; absent when the part was skipped. */
  text?: string;
  skipped?: string;
}

export type HostFingerprint = FingerprintPart[];

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

/** One line per JSON array element, keys sorted, volatile keys dropped, lines sorted (so a
 *  difference names what changed). */
export function normaliseJsonList(text: string, drop: readonly string[] = []): string {
  let items: unknown[];
  try {
    items = JSON.parse(text.trim() || '[]') as unknown[];
  } catch {
    return `(unparsable) ${text.trim()}`;
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
  return text
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]/g, '[0:0]'))
    .join('\n');
}

/** nft list ruleset without counters, quotas' usage and set elements' expiry. */
export function normaliseNftRuleset(text: string): string {
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

/** Mount point, type and source of every mount, sorted (IDs dropped). */
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

const trimmed = (text: string) => text.trim();

const SYSCTLS = [
  'net/ipv4/ip_forward',
  'net/ipv4/conf/all/forwarding',
  'net/ipv6/conf/all/forwarding',
  'net/bridge/bridge-nf-call-iptables',
  'user/max_user_namespaces',
  'kernel/unprivileged_userns_clone',
  'kernel/apparmor_restrict_unprivileged_userns',
];

export const HOST_PARTS: readonly HostPart[] = [
  // a link's operstate follows its carrier (a cable, a VPN), not anything we do
  { name: 'links', tool: 'ip', script: 'ip -j link show', normalise: (t) => normaliseJsonList(t, ['operstate']) },
  { name: 'netns', tool: 'ls', script: `ls -1 ${NAMED_NETNS_DIR} 2>/dev/null | sort; true`, normalise: trimmed },
  { name: 'routes', tool: 'ip', script: 'ip -j -4 route show table all', normalise: (t) => normaliseJsonList(t) },
  { name: 'routes6', tool: 'ip', script: 'ip -j -6 route show table all', normalise: (t) => normaliseJsonList(t, ['expires']) },
  { name: 'ip-rules', tool: 'ip', script: 'ip -j rule show', normalise: (t) => normaliseJsonList(t) },
  {
    name: 'sysctls',
    tool: 'bash',
    // builtins only: no process per file
    script: `for s in ${SYSCTLS.join(' ')}; do v='(absent)'; [ -r "/proc/sys/$s" ] && read -r v <"/proc/sys/$s"; printf '%s = %s\\n' "\${s//\\//.}" "$v"; done`,
    normalise: trimmed,
  },
  { name: 'iptables', tool: 'iptables-save', script: 'iptables-save', normalise: normaliseIptablesSave },
  { name: 'ip6tables', tool: 'ip6tables-save', script: 'ip6tables-save', normalise: normaliseIptablesSave },
  { name: 'nft', tool: 'nft', script: 'nft list ruleset', normalise: normaliseNftRuleset },
  { name: 'sysctl.conf', tool: 'sha256sum', script: 'if [ -e /etc/sysctl.conf ]; then sha256sum </etc/sysctl.conf; else echo absent; fi', normalise: trimmed },
  { name: 'mounts', tool: 'cat', script: 'cat /proc/self/mountinfo', normalise: normaliseMountinfo },
  {
    name: 'modules',
    tool: 'cat',
    script: 'cat /proc/modules 2>/dev/null; true',
    normalise: (t) =>
      t
        .split('\n')
        .map((l) => l.split(' ')[0] ?? '')
        .filter(Boolean)
        .sort()
        .join('\n'),
    noteOnly:
      'kernel modules load on demand (a bridge, nf_tables) even from inside a namespace and cannot be unloaded by us; loading one changes no rule, link or route',
  },
];

/** The script that reads a part, exiting 127 when its tool is missing. */
export function partScript(part: HostPart): string {
  return `command -v ${part.tool} >/dev/null || exit 127\n${part.script}`;
}

/** What a part's run says: its normalised text, or why it was skipped. */
export function readPart(part: HostPart, exitCode: number, stdout: string, stderr: string): FingerprintPart {
  if (exitCode === 127) return { name: part.name, skipped: `${part.tool} is not installed` };
  if (exitCode !== 0) return { name: part.name, skipped: `\`${part.script}\` failed: ${stderr.trim().split('\n')[0] ?? `exit ${exitCode}`}` };
  return { name: part.name, text: part.normalise(stdout) };
}

export async function takeHostFingerprint(runner: CommandRunner): Promise<HostFingerprint> {
  return Promise.all(
    HOST_PARTS.map(async (p) => {
      const r = await runner.run(partScript(p), { timeoutMs: 10_000 });
      return readPart(p, r.exitCode, r.stdout, r.stderr);
    }),
  );
}

export interface HostComparison {
  unchanged: boolean;
  /** What changed, one line per part. */
  differences: string[];
  /** Changes that are not failures (see HostPart.noteOnly). */
  notes: string[];
  skipped: string[];
}

/** The lines only one side has, `+`/`-`, at most `limit` of each. */
export function changedLines(before: string, after: string, limit = Infinity): string[] {
  const was = new Set(before.split('\n'));
  const now = new Set(after.split('\n'));
  const added = [...now].filter((l) => !was.has(l)).slice(0, limit);
  const removed = [...was].filter((l) => !now.has(l)).slice(0, limit);
  return [...removed.map((l) => `- ${l}`), ...added.map((l) => `+ ${l}`)];
}

export function compareHostFingerprints(before: HostFingerprint, after: HostFingerprint): HostComparison {
  const differences: string[] = [];
  const notes: string[] = [];
  const skipped: string[] = [];
  for (const b of before) {
    const a = after.find((x) => x.name === b.name);
    if (b.text === undefined || a?.text === undefined) {
      skipped.push(`${b.name}: ${b.skipped ?? a?.skipped ?? 'not read'}`);
      continue;
    }
    if (a.text === b.text) continue;
    const line = `${b.name} changed: ${changedLines(b.text, a.text, 3).join(' | ').slice(0, 400)}`;
    if (HOST_PARTS.find((p) => p.name === b.name)?.noteOnly) notes.push(line);
    else differences.push(line);
  }
  return { unchanged: differences.length === 0, differences, notes, skipped };
}
