// Native nftables at the walk's hooks: a filter chain that drops the packet (by a rule or by its
// policy) is a fault, with the rule or policy as evidence and the nft command that lets this
// flow through; a chain that only might drop it (rules the walk cannot judge) becomes a suspect;
// a nat chain's dnat/redirect/snat/masquerade is applied like iptables' NAT. Pure.
import type { NatTo } from '../snapshot/rule-model.js';
import type { NamespaceState, NftChain, NftRule } from '../snapshot/snapshot.js';
import { runIn } from './commands.js';
import type { Packet, PacketContext } from './match-packet.js';
import { chainName, mightAccept, nftBaseChains, runNftChain } from './nft-chain.js';
import type { Fault } from './types.js';
import { describePacket, type Walk } from './walk-state.js';
import { ipv4Addresses } from './world.js';

function shown(rules: NftRule[]): string {
  return rules.map((r) => `\`${r.text}\``).join(', ');
}

/** Rules that let this packet through a chain with policy drop, as `nft add rule` commands. */
function acceptRules(chain: NftChain, hook: string, p: Packet, ctx: PacketContext): string[] {
  const add = (rule: string) => `nft add rule ${chainName(chain)} ${rule} accept`;
  const replies = ctx.ctstate === 'ESTABLISHED';
  if (chain.family === 'bridge') {
    // bridged frames: both directions between the two ports
    return ctx.in && ctx.out ? [add(`iifname ${ctx.in} oifname ${ctx.out}`), add(`iifname ${ctx.out} oifname ${ctx.in}`)] : [add('ether type ip')];
  }
  if (hook === 'forward') {
    if (replies) return [add(`iifname ${ctx.in} oifname ${ctx.out} ct state established,related`)];
    const rules = [add(`iifname ${ctx.in} oifname ${ctx.out}`)];
    if (ctx.in !== ctx.out) rules.push(add(`iifname ${ctx.out} oifname ${ctx.in} ct state established,related`));
    return rules;
  }
  if (replies) return [add('ct state established,related')];
  if (hook === 'input' || hook === 'prerouting') {
    const what = p.protocol === 'tcp' && p.dport !== undefined ? `tcp dport ${p.dport}` : 'meta l4proto icmp';
    return [add(`${ctx.in ? `iifname ${ctx.in} ` : ''}${what}`)];
  }
  return [add(ctx.out ? `oifname ${ctx.out}` : 'meta l4proto icmp')];
}

function blockFault(ns: NamespaceState, chain: NftChain, hook: string, v: { verdict: string; rule?: NftRule }, p: Packet, ctx: PacketContext, how: string): Fault {
  const name = chainName(chain);
  if (v.rule) {
    return {
      kind: `nft-${hook}-drop`,
      namespace: ns.name,
      what: `A rule in the nft chain ${name} in ${ns.name} ${v.verdict === 'reject' ? 'rejects' : 'drops'} ${describePacket(p)}${how}.`,
      evidence: [{ command: runIn(ns, `nft -a list chain ${name}`), line: `${v.rule.text} # handle ${v.rule.handle}` }],
      fix: [runIn(ns, `nft delete rule ${name} handle ${v.rule.handle}`)],
    };
  }
  return {
    kind: `nft-${hook}-policy`,
    namespace: ns.name,
    what: `The nft chain ${name} in ${ns.name} drops ${describePacket(p)} by policy: it hooks into ${hook} with policy drop and no rule in it accepts this packet${how}.`,
    evidence: [{ command: runIn(ns, `nft list chain ${name}`), line: `type ${chain.type ?? 'filter'} hook ${hook} priority ${chain.priority ?? 0}; policy drop;` }],
    fix: acceptRules(chain, hook, p, ctx).map((c) => runIn(ns, c)),
  };
}

/** The native filter chains on `hook`: the first that surely drops the packet is the fault; one
 *  that may drop it is noted as a suspect and the walk goes on. */
export function nftFilterFault(w: Walk, ns: NamespaceState, hook: string, p: Packet, ctx: PacketContext, families?: readonly string[], how = ''): Fault | undefined {
  if (!ns.nftables) return undefined;
  for (const chain of nftBaseChains(ns, hook, ['filter', 'route'], families, hook === 'ingress' ? ctx.in : undefined)) {
    const v = runNftChain(ns.nftables, chain, p, ctx);
    const blocks = v.verdict === 'drop' || v.verdict === 'reject' || v.verdict === 'policy:drop';
    const doubtful = v.uncertain.filter((r) => (blocks ? mightAccept(r) : !mightAccept(r)));
    // one word per chain (the way there says it; the reply would repeat it)
    if (doubtful.length && !w.suspects.some((x) => x.namespace === ns.name && x.chain === chainName(chain))) {
      const verdict = v.rule ? `its rule \`${v.rule.text}\` ${v.verdict}s` : 'its policy drops';
      w.suspects.push({
        namespace: ns.name,
        chain: chainName(chain),
        why: blocks
          ? `${verdict} ${describePacket(p)} unless one of these rules accepts it first (they test what the walk cannot judge): ${shown(doubtful)}`
          : `it may drop ${describePacket(p)} by rules that test what the walk cannot judge: ${shown(doubtful)}`,
      });
    }
    if (blocks && doubtful.length) continue;
    if (blocks) return blockFault(ns, chain, hook, v, p, ctx, how);
  }
  return undefined;
}

export interface NftNat {
  /** As iptables would say it: DNAT, SNAT or MASQUERADE, with where it sends the packet (the
   *  typed rule's NatTo, as an iptables rule's target has it). */
  target: 'DNAT' | 'SNAT' | 'MASQUERADE';
  to?: NatTo;
  rule: NftRule;
}

/** The native nat chains on `hook`: the first NAT a rule applies (nat chains are consulted only
 *  for a connection's first packet, so the walk asks on the way there only). */
export function nftNat(w: Walk, ns: NamespaceState, hook: 'prerouting' | 'output' | 'postrouting', p: Packet, ctx: PacketContext): NftNat | undefined {
  if (!ns.nftables) return undefined;
  for (const chain of nftBaseChains(ns, hook, ['nat'])) {
    const v = runNftChain(ns.nftables, chain, p, ctx);
    // a NAT it cannot follow (a map lookup, a test it cannot judge): say so once
    const unsure = v.uncertain.filter(mightAccept);
    const note = `The nft chain ${chainName(chain)} in ${ns.name} has rules the walk cannot judge, so a NAT they make is not followed: ${shown(unsure.slice(0, 3))}.`;
    if (unsure.length && !w.notes.includes(note)) w.notes.push(note);
    const rule = v.rule;
    if (!rule) continue;
    if (v.verdict === 'masquerade') return { target: 'MASQUERADE', rule };
    if (v.verdict === 'snat' && rule.to?.address) return { target: 'SNAT', to: { address: rule.to.address }, rule };
    if (v.verdict === 'dnat' && rule.to?.address) {
      return { target: 'DNAT', to: { address: rule.to.address, ...(rule.to.port !== undefined ? { port: rule.to.port } : {}) }, rule };
    }
    if (v.verdict === 'redirect') {
      // to the namespace itself: the incoming device's first address (127.0.0.1 when made here)
      const address = ctx.in ? ipv4Addresses(ns, ctx.in)[0]?.address : '127.0.0.1';
      if (address) return { target: 'DNAT', to: { address, ...(rule.to?.port !== undefined ? { port: rule.to.port } : {}) }, rule };
    }
  }
  return undefined;
}
