// Faults from the filter table: a DROP/REJECT rule or a DROP policy in FORWARD, INPUT or OUTPUT,
// with the rule as evidence and the command that lets this packet through. Pure.
import type { NamespaceState } from '../snapshot.js';
import { runIn } from './commands.js';
import type { ChainVerdict, Packet } from './match-packet.js';
import type { Fault } from './types.js';
import { describePacket } from './walk-state.js';

function blocks(v: ChainVerdict): boolean {
  return v.verdict === 'DROP' || v.verdict === 'REJECT' || v.verdict === 'policy:DROP';
}

function chainFault(ns: NamespaceState, chain: string, v: ChainVerdict, p: Packet, allow: string[], bridged = false): Fault {
  const how = bridged ? ' (bridged traffic passes iptables here: net.bridge.bridge-nf-call-iptables = 1)' : '';
  if (v.rule) {
    return {
      kind: `${chain.toLowerCase()}-drop`,
      namespace: ns.name,
      what: `A rule in ${ns.name}'s ${chain} chain ${v.verdict === 'REJECT' ? 'rejects' : 'drops'} ${describePacket(p)}${how}.`,
      evidence: [{ command: runIn(ns, `iptables -S ${chain}`), line: v.rule.text }],
      fix: [runIn(ns, `iptables -D ${chain} ${v.rule.args.join(' ')}`)],
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
export function forwardDropFault(ns: NamespaceState, v: ChainVerdict, p: Packet, iif: string, oif: string, bridged = false): Fault | undefined {
  if (!blocks(v)) return undefined;
  const allow = [`iptables -A FORWARD -i ${iif} -o ${oif} -j ACCEPT`];
  if (iif !== oif) allow.push(`iptables -A FORWARD -i ${oif} -o ${iif} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`);
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
