// NAT on the walk: a DNAT or SNAT/MASQUERADE applied to the packet (from iptables or native nft,
// said the iptables way), recorded on the hop and in the walk, and undone for the reply as
// conntrack would. Pure.
import type { NamespaceState, NftRule } from '../snapshot/snapshot.js';
import type { NatTo } from '../snapshot/rule-model.js';
import type { Packet } from './match-packet.js';
import type { Hop } from './types.js';
import type { NatEntry, NatHook, Walk } from './walk-state.js';
import { sourceAddress, type RouteChoice } from './world.js';

/** `at` says where the rule fired (the chain and the packet's devices there). */
export function applyDnat(w: Walk, ns: NamespaceState, p: Packet, to: NatTo | undefined, rule: string, hop: Hop, at: Omit<NatHook, 'packet'>, nft?: NftRule): void {
  if (!to) return;
  const packet = { ...p };
  const before = { address: p.dst, ...(p.dport !== undefined ? { port: p.dport } : {}) };
  if (to.address) p.dst = to.address;
  if (to.port !== undefined) p.dport = to.port;
  const after = { address: p.dst, ...(p.dport !== undefined ? { port: p.dport } : {}) };
  w.nat.push({ namespace: ns.name, kind: 'dnat', before, after, rule, ...nftRef(nft), at: { ...at, packet } });
  hop.nat = [hop.nat, `DNAT ${before.address}${before.port ? `:${before.port}` : ''} -> ${after.address}${after.port ? `:${after.port}` : ''}`].filter(Boolean).join('; ');
}

export function applySnat(w: Walk, ns: NamespaceState, p: Packet, target: string, natTo: NatTo | undefined, choice: RouteChoice, rule: string, hop: Hop, nft?: NftRule): void {
  const to = target === 'MASQUERADE' ? sourceAddress(ns, choice) : natTo?.address;
  if (!to || to === p.src) return;
  const at: NatHook = { chain: 'POSTROUTING', packet: { ...p }, in: hop.in ?? '', out: choice.dev };
  w.nat.push({ namespace: ns.name, kind: 'snat', before: { address: p.src }, after: { address: to }, rule, ...nftRef(nft), at });
  hop.nat = [hop.nat, `${target} ${p.src} -> ${to}`].filter(Boolean).join('; ');
  p.src = to;
}

function nftRef(rule: NftRule | undefined): Pick<NatEntry, 'nft'> {
  return rule ? { nft: { family: rule.family, table: rule.table, chain: rule.chain, handle: rule.handle } } : {};
}

/** Replies are translated back by conntrack where the way there was translated. */
export function undoNat(w: Walk, ns: NamespaceState, p: Packet, hop: Hop): void {
  for (const e of w.nat) {
    if (e.namespace !== ns.name) continue;
    if (e.kind === 'snat' && p.dst === e.after.address) {
      p.dst = e.before.address;
      hop.nat = [hop.nat, `un-${'SNAT'} ${e.after.address} -> ${e.before.address}`].filter(Boolean).join('; ');
    }
    if (e.kind === 'dnat' && p.src === e.after.address && (e.after.port === undefined || p.sport === e.after.port)) {
      p.src = e.before.address;
      if (e.before.port !== undefined) p.sport = e.before.port;
      hop.nat = [hop.nat, `un-DNAT ${e.after.address} -> ${e.before.address}`].filter(Boolean).join('; ');
    }
  }
}
