// NOTRACK: a raw-table rule (iptables -j NOTRACK / -j CT --notrack, or an nft chain hooked before
// conntrack with `notrack`) takes the packet out of connection tracking, and an untracked packet
// skips the nat table: a DNAT that would have matched never applies. Named when it costs the
// packet its NAT; the fix deletes that rule. Pure.
import type { NamespaceState, NftRule } from '../snapshot/snapshot.js';
import { runIn } from './commands.js';
import { matchRule, type Packet, type PacketContext } from './match-packet.js';
import { matchNftRule } from './nft-chain.js';
import type { Fault } from './types.js';
import { describePacket } from './walk-state.js';

/** conntrack's hook priority: nft chains below it see packets before they are tracked. */
const CONNTRACK_PRIORITY = -200;

function iptablesNotrack(ns: NamespaceState, chain: 'PREROUTING' | 'OUTPUT', p: Packet, ctx: PacketContext) {
  return (ns.iptables?.tables.raw?.rules ?? []).find((r) => {
    if (r.chain !== chain) return false;
    const untracks = r.target?.kind === 'notrack' || (r.target?.kind === 'ct' && r.target.notrack);
    return untracks && matchRule(r, p, ctx) === true;
  });
}

function nftNotrack(ns: NamespaceState, hook: string, p: Packet, ctx: PacketContext): NftRule | undefined {
  const nft = ns.nftables;
  if (!nft) return undefined;
  const early = nft.chains.filter((c) => c.hook === hook && (c.family === 'ip' || c.family === 'inet') && (c.priority ?? 0) < CONNTRACK_PRIORITY);
  return nft.rules.find((r) => r.action === 'notrack' && early.some((c) => c.family === r.family && c.table === r.table && c.name === r.chain) && matchNftRule(r, p, ctx) === true);
}

/** The fault when a NOTRACK rule keeps `natRule` (the DNAT that would match) from applying. */
export function notrackFault(ns: NamespaceState, chain: 'PREROUTING' | 'OUTPUT', p: Packet, ctx: PacketContext, natRule: string): Fault | undefined {
  const ipt = iptablesNotrack(ns, chain, p, ctx);
  const nft = ipt ? undefined : nftNotrack(ns, chain.toLowerCase(), p, ctx);
  if (!ipt && !nft) return undefined;
  const what = `A NOTRACK rule in ${ns.name}'s raw ${chain} takes ${describePacket(p)} out of connection tracking, and untracked packets skip the nat table, so the DNAT \`${natRule}\` never applies to it.`;
  if (ipt) {
    return {
      kind: 'notrack-skips-nat',
      namespace: ns.name,
      what,
      evidence: [{ command: runIn(ns, `iptables -t raw -S ${chain}`), line: ipt.text }],
      fix: [runIn(ns, `iptables -t raw ${ipt.text.replace(/^-A /, '-D ')}`)],
    };
  }
  const r = nft!;
  return {
    kind: 'notrack-skips-nat',
    namespace: ns.name,
    what: what.replace('NOTRACK rule', `notrack rule (nft chain ${r.family} ${r.table} ${r.chain})`),
    evidence: [{ command: runIn(ns, `nft -a list chain ${r.family} ${r.table} ${r.chain}`), line: `${r.text} # handle ${r.handle}` }],
    fix: [runIn(ns, `nft delete rule ${r.family} ${r.table} ${r.chain} handle ${r.handle}`)],
  };
}
