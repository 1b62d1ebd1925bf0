// "Nothing listens" at an address the nat table means to translate: a DNAT rule whose own tests
// hold for the packet sits in a chain the packet enters, but an earlier RETURN (or ACCEPT) in
// that chain ends the chain first. The fault is that earlier rule, and the fix deletes it. Pure.
import type { NamespaceState } from '../snapshot/snapshot.js';
import { runIn } from './commands.js';
import { matchRule, type Packet, type PacketContext } from './match-packet.js';
import type { Fault } from './types.js';
import { describePacket } from './walk-state.js';

export function shadowedDnatFault(ns: NamespaceState, p: Packet, ctx: PacketContext): Fault | undefined {
  const rules = ns.iptables?.tables.nat?.rules ?? [];
  const dnat = rules.find((r) => r.target?.kind === 'dnat' && matchRule(r, p, ctx) === true);
  if (!dnat) return undefined;
  const chain = rules.filter((r) => r.chain === dnat.chain);
  const before = chain.slice(0, chain.indexOf(dnat));
  const shadow = before.find((r) => (r.target?.kind === 'return' || r.target?.kind === 'accept') && matchRule(r, p, ctx) === true);
  if (!shadow) return undefined;
  return {
    kind: 'dnat-shadowed',
    namespace: ns.name,
    what: `In ${ns.name}'s nat chain ${dnat.chain}, \`${shadow.text}\` matches ${describePacket(p)} first and ends the chain (${shadow.target?.name}), so the DNAT after it (\`${dnat.text}\`) never applies and the packet stays in ${ns.name}, where nothing listens.`,
    evidence: [{ command: runIn(ns, `iptables -t nat -S ${dnat.chain}`), line: shadow.text }, { command: runIn(ns, `iptables -t nat -S ${dnat.chain}`), line: dnat.text }],
    fix: [runIn(ns, `iptables -t nat ${shadow.text.replace(/^-A /, '-D ')}`)],
  };
}
