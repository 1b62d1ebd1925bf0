// The real host's network state before and after a self-test: links, routes, namespaces,
// ip_forward, iptables and nftables rules, read-only. Anything that differs means a sandbox leaked.
import type { CommandRunner } from '../exec/types.js';

export interface FingerprintPart {
  name: string;
  /** The normalised output; absent when the part was skipped. */
  text?: string;
  skipped?: string;
}

export type HostFingerprint = FingerprintPart[];

const PARTS: Array<{ name: string; tool: string; script: string }> = [
  { name: 'ip -j link', tool: 'ip', script: 'ip -j link show' },
  { name: 'ip -j route', tool: 'ip', script: 'ip -j route show table all' },
  { name: 'ls /run/netns', tool: 'ls', script: 'ls -1 /run/netns 2>/dev/null; true' },
  { name: 'ip_forward', tool: 'cat', script: 'cat /proc/sys/net/ipv4/ip_forward' },
  { name: 'iptables-save', tool: 'iptables-save', script: 'iptables-save' },
  { name: 'nft list ruleset', tool: 'nft', script: 'nft list ruleset' },
];

/** Counters and timestamps change by themselves; they are not the host's configuration. */
export function normaliseFingerprintText(name: string, text: string): string {
  let t = text;
  if (name === 'iptables-save') t = t.replace(/^#.*$/gm, '').replace(/\[\d+:\d+\]/g, '[]');
  if (name === 'nft list ruleset') t = t.replace(/counter packets \d+ bytes \d+/g, 'counter');
  if (name.startsWith('ip -j')) {
    try {
      // one line per link or route, so a difference names what changed
      const items = JSON.parse(t) as Array<Record<string, unknown>>;
      t = items.map(({ operstate: _, ...rest }) => JSON.stringify(rest)).join('\n');
    } catch {
      // keep the text as it is
    }
  }
  return t.trim();
}

export async function takeHostFingerprint(runner: CommandRunner): Promise<HostFingerprint> {
  return Promise.all(
    PARTS.map(async (p): Promise<FingerprintPart> => {
      const r = await runner.run(`command -v ${p.tool} >/dev/null || exit 127\n${p.script}`, { timeoutMs: 10_000 });
      if (r.exitCode === 127) return { name: p.name, skipped: `${p.tool} is not installed` };
      if (r.exitCode !== 0) return { name: p.name, skipped: `\`${p.script}\` failed: ${r.stderr.trim().split('\n')[0] ?? `exit ${r.exitCode}`}` };
      return { name: p.name, text: normaliseFingerprintText(p.name, r.stdout) };
    }),
  );
}

export interface HostComparison {
  unchanged: boolean;
  /** What changed, one line per part. */
  differences: string[];
  skipped: string[];
}

export function compareHostFingerprints(before: HostFingerprint, after: HostFingerprint): HostComparison {
  const differences: string[] = [];
  const skipped: string[] = [];
  for (const b of before) {
    const a = after.find((x) => x.name === b.name);
    if (b.text === undefined || a?.text === undefined) {
      skipped.push(`${b.name}: ${b.skipped ?? a?.skipped ?? 'not read'}`);
      continue;
    }
    if (a.text !== b.text) {
      const was = new Set(b.text.split('\n'));
      const now = new Set(a.text.split('\n'));
      const added = [...now].filter((l) => !was.has(l)).slice(0, 3);
      const removed = [...was].filter((l) => !now.has(l)).slice(0, 3);
      differences.push(`${b.name} changed: ${[...added.map((l) => `+ ${l}`), ...removed.map((l) => `- ${l}`)].join(' | ').slice(0, 400)}`);
    }
  }
  return { unchanged: differences.length === 0, differences, skipped };
}
