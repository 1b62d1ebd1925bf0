// Faults from iptables chains: a DROP/REJECT rule or a DROP policy in the filter table's FORWARD,
// INPUT or OUTPUT (the fix lets this packet through), or in a chain of the raw, mangle or security
// table that the packet passes at the same hooks (the fix deletes the rule, or puts the policy back
// to ACCEPT). The rule as evidence. Pure.
import type { NamespaceState } from '../snapshot/snapshot.js';
import { runIn } from './commands.js';
import { runChain, type ChainVerdict, type Packet, type PacketContext } from './match-packet.js';
import type { Fault } from './types.js';
import { describePacket } from './walk-state.js';
import { userChainFault } from './user-chains.js';

/** `-D CHAIN ...` for a rule as iptables-save prints it: its quoting (comments with spaces) kept. */
export function deleteSpec(saved: string): string {
  return saved.replace(/^-A /, '-D ');
}

function blocks(v: ChainVerdict): boolean {
  return v.verdict === 'DROP' || v.verdict === 'REJECT' || v.verdict === 'policy:DROP';
}

function chainFault(ns: NamespaceState, chain: string, v: ChainVerdict, p: Packet, allow: string[], bridged = false): Fault {
  const how = bridged ? ' (bridged traffic passes iptables here: net.bridge.bridge-nf-call-iptables = 1)' : '';
  if (v.rule) {
    // the rule may sit in a user chain FORWARD jumps to (DOCKER-USER, KUBE-FORWARD...): name that
    // chain, and the jump, and delete the rule from the chain it is in
    const at = v.rule.chain;
    const where = at === chain ? `${chain} chain` : `chain ${at} (which ${chain} jumps to)`;
    return {
      kind: `${chain.toLowerCase()}-drop`,
      namespace: ns.name,
      what: `A rule in ${ns.name}'s ${where} ${v.verdict === 'REJECT' ? 'rejects' : 'drops'} ${describePacket(p)}${how}.`,
      evidence: [{ command: runIn(ns, `iptables -S ${at}`), line: v.rule.text }],
      fix: [runIn(ns, `iptables ${deleteSpec(v.rule.text)}`)],
    };
  }
  return {
    kind: `${chain.toLowerCase()}-policy`,
    namespace: ns.name,
    what: `${ns.name}'s ${chain} chain has policy DROP and no rule accepts ${describePacket(p)}${how}.`,
    evidence: [{ command: runIn(ns, `iptables -S ${chain}`), line: `-P ${chain} DROP` }],
    fix: allow.map((a) => runIn(ns, a)),
  };
}

/** FORWARD: the fix accepts this flow and its replies. */
export function forwardDropFault(ns: NamespaceState, v: ChainVerdict, p: Packet, iif: string, oif: string, bridged = false, ctx?: PacketContext): Fault | undefined {
  if (!blocks(v)) return undefined;
  const reply = `iptables -A FORWARD -i ${oif} -o ${iif} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`;
  // the policy, in a table with user chains: the accept (or the jump) belongs in them
  if (!v.rule && ctx && !bridged) {
    const back: Packet = { ...p, src: p.dst, dst: p.src, ...(p.dport !== undefined ? { sport: p.dport, dport: p.sport ?? 40000 } : {}) };
    const replyBlocked = iif !== oif && blocks(runChain(ns.iptables, 'filter', 'FORWARD', back, { ...ctx, in: oif, out: iif, ctstate: 'ESTABLISHED' }));
    const inChains = userChainFault(ns, p, ctx, iif, oif, replyBlocked ? [runIn(ns, reply)] : []);
    if (inChains) return inChains;
  }
  const allow = [`iptables -A FORWARD -i ${iif} -o ${oif} -j ACCEPT`];
  if (iif !== oif) allow.push(reply);
  return chainFault(ns, 'FORWARD', v, p, allow, bridged);
}

export function inputDropFault(ns: NamespaceState, v: ChainVerdict, p: Packet, iif: string, replies = false): Fault | undefined {
  if (!blocks(v)) return undefined;
  if (replies) return chainFault(ns, 'INPUT', v, p, ['iptables -A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT']);
  const port = p.protocol === 'tcp' && p.dport !== undefined ? ` -p tcp --dport ${p.dport}` : ' -p icmp';
  return chainFault(ns, 'INPUT', v, p, [`iptables -A INPUT -i ${iif}${port} -j ACCEPT`]);
}

export function outputDropFault(ns: NamespaceState, v: ChainVerdict, p: Packet, oif: string): Fault | undefined {
  if (!blocks(v)) return undefined;
  return chainFault(ns, 'OUTPUT', v, p, [`iptables -A OUTPUT -o ${oif} -j ACCEPT`]);
}

/** The iptables chains a packet passes around nat and filter, by hook, in the kernel's priority
 *  order (raw -300, mangle -150, [nat -100, filter 0], security 50). */
export const BEFORE_NAT = {
  PREROUTING: [['raw', 'PREROUTING'], ['mangle', 'PREROUTING']],
  OUTPUT: [['raw', 'OUTPUT'], ['mangle', 'OUTPUT']],
  POSTROUTING: [['mangle', 'POSTROUTING']],
} as const;
export const BEFORE_FILTER = { INPUT: [['mangle', 'INPUT']], FORWARD: [['mangle', 'FORWARD']] } as const;
export const AFTER_FILTER = { INPUT: [['security', 'INPUT']], FORWARD: [['security', 'FORWARD']], OUTPUT: [['security', 'OUTPUT']] } as const;

/** The first of these (table, chain) pairs that drops the packet. */
export function tablesDropFault(ns: NamespaceState, chains: ReadonlyArray<readonly [string, string]>, p: Packet, ctx: PacketContext, how = ''): Fault | undefined {
  for (const [table, chain] of chains) {
    if (!ns.iptables?.tables[table]) continue;
    const v = runChain(ns.iptables, table, chain, p, ctx);
    if (!blocks(v)) continue;
    const kind = `${table}-${chain.toLowerCase()}`;
    const show = runIn(ns, `iptables -t ${table} -S ${chain}`);
    if (v.rule) {
      const at = v.rule.chain;
      return {
        kind: `${kind}-drop`,
        namespace: ns.name,
        what: `A rule in ${ns.name}'s ${table} table, chain ${at}${at === chain ? '' : ` (which ${chain} jumps to)`}, ${v.verdict === 'REJECT' ? 'rejects' : 'drops'} ${describePacket(p)}${how}.`,
        evidence: [{ command: runIn(ns, `iptables -t ${table} -S ${at}`), line: v.rule.text }],
        fix: [runIn(ns, `iptables -t ${table} ${deleteSpec(v.rule.text)}`)],
      };
    }
    return {
      kind: `${kind}-policy`,
      namespace: ns.name,
      what: `${ns.name}'s ${table} table has policy DROP in chain ${chain}, and no rule there accepts ${describePacket(p)}${how}.`,
      evidence: [{ command: show, line: `-P ${chain} DROP` }],
      fix: [runIn(ns, `iptables -t ${table} -P ${chain} ACCEPT`)],
    };
  }
  return undefined;
}
