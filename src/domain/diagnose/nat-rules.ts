// The NAT rules the walk saw fire (iptables or native nft): the line that shows one, the command
// that deletes it (or replaces a native nft one), and what its chain would do without it (the rule
// after it that would translate the packet instead, if any). Pure.
import type { IptablesState, NamespaceState, NftState } from '../snapshot/snapshot.js';
import { quoteForShell } from '../shell-quote.js';
import { runIn } from './commands.js';
import { runChain, type Packet, type PacketContext } from './match-packet.js';
import { nftNat } from './nft-hooks.js';
import type { Evidence } from './types.js';
import { contextFor, type NatEntry, type Walk } from './walk-state.js';
import { findNamespace, ipv4Addresses } from './world.js';

type Where = Pick<NamespaceState, 'name' | 'kind'>;

function whereOf(w: Walk, e: NatEntry): Where {
  return findNamespace(w.snapshot, e.namespace) ?? { name: e.namespace, kind: e.namespace === 'host' ? 'host' : 'named' };
}

/** The command and line that show the rule. */
export function natRuleEvidence(w: Walk, e: NatEntry): Evidence {
  const where = whereOf(w, e);
  if (e.nft) return { command: runIn(where, `nft -a list chain ${e.nft.family} ${e.nft.table} ${e.nft.chain}`), line: `${e.rule} # handle ${e.nft.handle}` };
  const chain = /^-A (\S+)/.exec(e.rule)?.[1];
  return { command: runIn(where, `iptables -t nat -S${chain ? ` ${chain}` : ''}`), line: e.rule };
}

/** The command that deletes exactly this rule. */
export function deleteNatRule(w: Walk, e: NatEntry): string {
  const where = whereOf(w, e);
  if (e.nft) return runIn(where, `nft delete rule ${e.nft.family} ${e.nft.table} ${e.nft.chain} handle ${e.nft.handle}`);
  return runIn(where, `iptables -t nat ${e.rule.replace(/^-A /, '-D ')}`);
}

/** The command that puts `rule` (nft's words for it) in place of this native nft rule, by handle. */
export function replaceNftRule(where: Where, ref: NonNullable<NatEntry['nft']>, rule: string): string {
  return runIn(where, `nft replace rule ${ref.family} ${ref.table} ${ref.chain} handle ${ref.handle} ${quoteForShell(rule)}`);
}

export interface NatInstead {
  target: 'DNAT' | 'SNAT' | 'MASQUERADE';
  /** The address (and port) it would translate to. */
  address: string;
  port?: number;
  /** The rule, as shown. */
  rule: string;
}

function withoutIptablesRule(ipt: IptablesState | undefined, text: string): IptablesState | undefined {
  const nat = ipt?.tables.nat;
  if (!ipt || !nat) return ipt;
  return { ...ipt, tables: { ...ipt.tables, nat: { ...nat, rules: nat.rules.filter((r) => r.text !== text) } } };
}

function withoutNftRule(nft: NftState | undefined, ref: NonNullable<NatEntry['nft']>): NftState | undefined {
  if (!nft) return nft;
  return { ...nft, rules: nft.rules.filter((r) => !(r.family === ref.family && r.table === ref.table && r.chain === ref.chain && r.handle === ref.handle)) };
}

/** What the nat hook would do for the same packet if this rule were gone: the NAT a later rule
 *  (iptables first, then native nft chains, as the walk applies them) would make instead. */
export function natWithout(w: Walk, e: NatEntry): NatInstead | undefined {
  const ns = findNamespace(w.snapshot, e.namespace);
  if (!ns || !e.at) return undefined;
  const without: NamespaceState = e.nft ? { ...ns, nftables: withoutNftRule(ns.nftables, e.nft) } : { ...ns, iptables: withoutIptablesRule(ns.iptables, e.rule) };
  const p = { ...e.at.packet };
  const ctx = contextFor(ns, 'there', e.at.in, e.at.out);
  const wanted = e.kind === 'dnat' ? ['DNAT'] : ['SNAT', 'MASQUERADE'];
  const v = runChain(without.iptables, 'nat', e.at.chain, p, ctx);
  const hook = e.at.chain === 'PREROUTING' ? 'prerouting' : e.at.chain === 'OUTPUT' ? 'output' : 'postrouting';
  const found = v.rule && wanted.includes(v.verdict) ? { target: v.verdict, to: v.to, rule: v.rule.text } : nftInstead(w, without, hook, p, ctx, wanted);
  if (!found) return undefined;
  const target = found.target as NatInstead['target'];
  if (target === 'MASQUERADE') {
    const address = ipv4Addresses(ns, e.at.out).find((a) => a.scope !== 'host')?.address;
    return address ? { target, address, rule: found.rule } : undefined;
  }
  const to = found.to;
  if (!to?.address) return undefined;
  return { target, address: to.address, ...(to.port !== undefined ? { port: to.port } : {}), rule: found.rule };
}

function nftInstead(w: Walk, ns: NamespaceState, hook: 'prerouting' | 'output' | 'postrouting', p: Packet, ctx: PacketContext, wanted: string[]) {
  // a look aside: its notes are not the walk's
  const nat = nftNat({ ...w, notes: [] }, ns, hook, p, ctx);
  return nat && wanted.includes(nat.target) ? { target: nat.target, to: nat.to, rule: nat.rule.text } : undefined;
}
