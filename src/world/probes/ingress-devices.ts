// nft's JSON (before nftables 1.0.7) leaves out the device an ingress chain hooks on; the text
// listing has it. For the few ingress chains a snapshot holds without one, read it from the text
// (one `nft list chain` per chain) so the walk applies each chain to its own device only.
import type { CommandRunner } from '../exec/types.js';
import type { Snapshot } from '../../domain/snapshot/snapshot.js';
import { enterPrefix } from '../../domain/sandbox-layout.js';
import { quoteForShell as q } from '../../domain/shell-quote.js';

export async function fillIngressDevices(runner: CommandRunner, snapshot: Snapshot): Promise<void> {
  const missing = snapshot.namespaces.flatMap((ns) => (ns.nftables?.chains ?? []).filter((c) => c.hook === 'ingress' && c.device === undefined).map((c) => ({ ns, c })));
  if (!missing.length) return;
  const script = missing.map(({ ns, c }) => `${enterPrefix(ns)}nft list chain ${q(c.family)} ${q(c.table)} ${q(c.name)} 2>/dev/null | grep -o 'device "[^"]*"' | head -1; echo .`).join('\n');
  const r = await runner.run(script, { timeoutMs: 5000 });
  const answers = r.stdout.split('.\n');
  missing.forEach(({ c }, i) => {
    const m = /device "([^"]+)"/.exec(answers[i] ?? '');
    if (m) c.device = m[1];
  });
}
