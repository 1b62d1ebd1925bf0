// Sibling drift: two namespaces that run the same rule writer (kube-proxy on two nodes: the same
// user chains in their nat or filter table) should hold the same rules. Where the probe fails and
// the walk's own answer is doubtful, a chain on the path that lost, gained or changed a rule
// against its sibling is the culprit; the fix makes that chain its sibling's again (deleting the
// extra rules, inserting the missing ones at their sibling's positions, quoting as saved). Pure.
import type { IptablesRule, NamespaceState, Snapshot } from '../snapshot/snapshot.js';
import { runIn } from './commands.js';
import type { Fault } from './types.js';

const TABLES = ['nat', 'filter'] as const;

function userChains(ns: NamespaceState, table: string): string[] {
  const t = ns.iptables?.tables[table];
  return t ? Object.entries(t.chains).filter(([, c]) => c.policy === '-').map(([name]) => name).sort() : [];
}

/** Another namespace whose table has exactly the same (non-empty) set of user chains. */
function siblingOf(snapshot: Snapshot, ns: NamespaceState, table: string): NamespaceState | undefined {
  const mine = userChains(ns, table).join(' ');
  if (!mine) return undefined;
  return snapshot.namespaces.find((o) => o !== ns && !o.error && userChains(o, table).join(' ') === mine);
}

const rulesIn = (ns: NamespaceState, table: string, chain: string): IptablesRule[] => (ns.iptables?.tables[table]?.rules ?? []).filter((r) => r.chain === chain);

interface ChainDrift {
  table: string;
  chain: string;
  missing: Array<{ rule: IptablesRule; position: number }>;
  extra: IptablesRule[];
}

function driftOf(ns: NamespaceState, sibling: NamespaceState, table: string): ChainDrift[] {
  const chains = Object.keys(sibling.iptables?.tables[table]?.chains ?? {});
  const out: ChainDrift[] = [];
  for (const chain of chains) {
    const mine = rulesIn(ns, table, chain);
    const theirs = rulesIn(sibling, table, chain);
    const extra = mine.filter((r) => !theirs.some((t) => t.text === r.text));
    const missing = theirs.flatMap((rule, i) => (mine.some((m) => m.text === rule.text) ? [] : [{ rule, position: i + 1 }]));
    if (extra.length || missing.length) out.push({ table, chain, missing, extra });
  }
  return out;
}

/** The first namespace of `along` whose kube-proxy-style chains drifted from a sibling's. */
export function siblingDriftFault(snapshot: Snapshot, along: readonly string[]): Fault | undefined {
  for (const name of along) {
    const ns = snapshot.namespaces.find((n) => n.name === name);
    if (!ns || ns.error) continue;
    for (const table of TABLES) {
      const sibling = siblingOf(snapshot, ns, table);
      if (!sibling) continue;
      const drift = driftOf(ns, sibling, table);
      if (!drift.length) continue;
      const first = drift[0]!;
      const said = first.missing.length
        ? `lacks ${first.missing.length === 1 ? 'a rule' : `${first.missing.length} rules`} that ${sibling.name}'s has (${first.missing[0]!.rule.text})`
        : `has ${first.extra.length === 1 ? 'a rule' : `${first.extra.length} rules`} that ${sibling.name}'s has not (${first.extra[0]!.text})`;
      const fix = drift.flatMap((d) => [
        ...d.extra.map((r) => runIn(ns, `iptables -t ${d.table} ${r.text.replace(/^-A /, '-D ')}`)),
        ...d.missing.map((m) => runIn(ns, `iptables -t ${d.table} ${m.rule.text.replace(/^-A (\S+) /, `-I $1 ${m.position} `)}`)),
      ]);
      return {
        kind: 'chain-drift',
        namespace: ns.name,
        what: `${ns.name}'s ${table} chain ${first.chain} ${said}; ${ns.name} and ${sibling.name} carry the same chains (${userChains(ns, table).slice(0, 3).join(', ')}...), written by one tool for every node, so ${ns.name}'s differ where the packet passes.`,
        evidence: drift.flatMap((d) => [
          ...d.missing.map((m) => ({ command: runIn(sibling, `iptables -t ${d.table} -S ${d.chain}`), line: m.rule.text })),
          ...d.extra.map((r) => ({ command: runIn(ns, `iptables -t ${d.table} -S ${d.chain}`), line: r.text })),
        ]),
        fix,
      };
    }
  }
  return undefined;
}
