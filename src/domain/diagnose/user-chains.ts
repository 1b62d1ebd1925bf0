// When FORWARD drops a packet by its policy and the filter table has user chains (Docker's
// DOCKER, ufw's, kube-proxy's), the missing accept belongs in those chains: a chain that would
// accept the packet but nothing jumps to (the jump is what is missing), or an allow-list chain the
// packet does enter (only ACCEPT rules, or none) that has no rule for it. Pure.
import type { IptablesTable, NamespaceState } from '../snapshot/snapshot.js';
import { runIn } from './commands.js';
import { matchRule, runChain, type Packet, type PacketContext } from './match-packet.js';
import type { Fault } from './types.js';
import { describePacket } from './walk-state.js';

/** The user chains the packet enters from `chain`, in order, until a rule decides. */
function chainsEntered(t: IptablesTable, chain: string, p: Packet, ctx: PacketContext, out: string[] = [], depth = 0): { out: string[]; decided: boolean } {
  if (depth > 16) return { out, decided: false };
  for (const rule of t.rules.filter((r) => r.chain === chain)) {
    if (matchRule(rule, p, ctx) !== true) continue;
    const target = rule.target?.name;
    if (!target) continue;
    if (target === 'RETURN') return { out, decided: false };
    if (t.chains[target]) {
      out.push(target);
      if (chainsEntered(t, target, p, ctx, out, depth + 1).decided) return { out, decided: true };
      continue;
    }
    if (['ACCEPT', 'DROP', 'REJECT'].includes(target)) return { out, decided: true };
  }
  return { out, decided: false };
}

function flowMatch(p: Packet, iif: string, oif: string): string {
  const proto = p.protocol === 'tcp' && p.dport !== undefined ? `-p tcp -m tcp --dport ${p.dport}` : '-p icmp';
  return `-d ${p.dst}/32 -i ${iif} -o ${oif} ${proto}`;
}

export function userChainFault(ns: NamespaceState, p: Packet, ctx: PacketContext, iif: string, oif: string, replyFix: string[]): Fault | undefined {
  const ipt = ns.iptables;
  const t = ipt?.tables.filter;
  if (!t) return undefined;
  const users = Object.entries(t.chains).filter(([, c]) => c.policy === '-').map(([name]) => name);
  if (!users.length) return undefined;
  const entered = chainsEntered(t, 'FORWARD', p, ctx).out;
  const jumpedTo = new Set(t.rules.map((r) => r.target?.name).filter((x): x is string => !!x));
  for (const c of users) {
    if (entered.includes(c) || jumpedTo.has(c)) continue;
    const v = runChain(ipt, 'filter', c, p, ctx);
    if (v.verdict !== 'ACCEPT' || !v.rule) continue;
    return {
      kind: 'chain-jump-missing',
      namespace: ns.name,
      what: `${ns.name}'s chain ${c} would accept ${describePacket(p)} (\`${v.rule.text}\`), but no rule jumps to ${c}, so FORWARD's policy DROP has it.`,
      evidence: [{ command: runIn(ns, `iptables -S ${c}`), line: v.rule.text }, { command: runIn(ns, 'iptables -S FORWARD'), line: t.rules.filter((r) => r.chain === 'FORWARD').map((r) => r.text).join(' | ') || '(no rules)' }],
      fix: [runIn(ns, `iptables -A FORWARD -o ${oif} -j ${c}`), ...replyFix],
    };
  }
  // an allow-list the packet enters: holds only ACCEPT rules (or none)
  const allowList = [...entered].reverse().find((c) => t.rules.filter((r) => r.chain === c).every((r) => r.target?.name === 'ACCEPT'));
  if (!allowList) return undefined;
  const jump = t.rules.find((r) => r.chain === 'FORWARD' && r.target?.name === allowList);
  return {
    kind: 'chain-accept-missing',
    namespace: ns.name,
    what: `FORWARD in ${ns.name} sends ${describePacket(p)} into chain ${allowList}${jump ? ` (\`${jump.text}\`)` : ''}, which accepts only what it lists, and it lists nothing for this packet; FORWARD's policy DROP has it.`,
    evidence: [{ command: runIn(ns, `iptables -S ${allowList}`), line: t.rules.filter((r) => r.chain === allowList).map((r) => r.text).join(' | ') || `-N ${allowList} (no rules)` }],
    fix: [runIn(ns, `iptables -A ${allowList} ${flowMatch(p, iif, oif)} -j ACCEPT`), ...replyFix],
  };
}
