// Runs a packet through an iptables chain as the kernel would: rules in order, jumps into user
// chains, RETURN, the policy at the end of a built-in chain. Reads the typed rule (the snapshot's
// parse-rule.ts); a rule with a match it cannot judge is skipped and reported as uncertain. Pure.
import type { NatTo, PortRange, RuleMatch } from '../snapshot/rule-model.js';
import type { IptablesRule, IptablesState } from '../snapshot/snapshot.js';
import { inCidr, isIpv4 } from './ipv4.js';

export interface Packet {
  src: string;
  dst: string;
  protocol: 'icmp' | 'tcp';
  sport?: number;
  dport?: number;
  /** Its size in bytes (IP header on): ping's echo is 84, a TCP SYN 60; after fragmenting, the
   *  largest fragment. Absent: not judged. */
  bytes?: number;
  /** Don't fragment: a router drops it (and says so by ICMP) where it does not fit the way out. */
  df?: boolean;
}

export interface PacketContext {
  /** Input and output device names ('' when not known at this hook). */
  in: string;
  out: string;
  /** NEW on the way there, ESTABLISHED on the way back. */
  ctstate: 'NEW' | 'ESTABLISHED';
  /** Is this address local to the namespace (for -m addrtype)? */
  isLocal: (address: string) => boolean;
}

export interface ChainVerdict {
  /** ACCEPT, DROP, REJECT, DNAT, SNAT, MASQUERADE, REDIRECT, or 'policy:ACCEPT' style when the
   *  chain ended without a deciding rule. */
  verdict: string;
  /** The deciding rule, or undefined when the policy decided. */
  rule?: IptablesRule;
  /** DNAT/SNAT: where the deciding rule sends the packet. */
  to?: NatTo;
  /** Rules skipped because a match was not understood. */
  uncertain: IptablesRule[];
}

/** Targets that end the packet's walk through the chain. */
const FINAL_KINDS = new Set(['accept', 'drop', 'reject', 'dnat', 'snat', 'masquerade', 'redirect']);

function matchInterface(pattern: string, dev: string): boolean {
  if (pattern.endsWith('+')) return dev.startsWith(pattern.slice(0, -1));
  return pattern === dev;
}

const inRanges = (ranges: readonly PortRange[], port: number | undefined) => port !== undefined && ranges.some((r) => port >= r.from && port <= r.to);

/** One match against the packet; 'unknown' for what cannot be judged from here. */
function matchOne(m: RuleMatch, p: Packet, ctx: PacketContext): boolean | 'unknown' {
  switch (m.kind) {
    case 'source':
      return isIpv4(p.src) && inCidr(p.src, m.cidr);
    case 'destination':
      return isIpv4(p.dst) && inCidr(p.dst, m.cidr);
    case 'in-interface':
      return matchInterface(m.name, ctx.in);
    case 'out-interface':
      return matchInterface(m.name, ctx.out);
    case 'protocol':
      return m.protocol === 'all' || m.protocol === p.protocol || (m.protocol === '6' && p.protocol === 'tcp') || (m.protocol === '1' && p.protocol === 'icmp');
    case 'destination-port':
      return inRanges(m.ports, p.dport);
    case 'source-port':
      return inRanges(m.ports, p.sport);
    case 'conntrack-state':
      return m.states.includes(ctx.ctstate);
    case 'address-type':
      if (m.limitIface || m.types.length !== 1 || m.types[0] !== 'LOCAL') return 'unknown';
      return ctx.isLocal(m.direction === 'source' ? p.src : p.dst);
    case 'icmp-type':
      return p.protocol === 'icmp' && (m.type === 'echo-request' || m.type === '8' || m.type === 'any');
    // a comment matches every packet; statistic is taken as matching (the first of kube-proxy's
    // endpoints), as the walk follows one packet
    case 'comment':
    case 'statistic':
      return true;
    default:
      return 'unknown';
  }
}

/** Does the rule's match part hold for the packet? 'unknown' for matches we cannot judge. */
export function matchRule(rule: Pick<IptablesRule, 'matches'>, p: Packet, ctx: PacketContext): boolean | 'unknown' {
  let result = true;
  for (const m of rule.matches) {
    const ok = matchOne(m, p, ctx);
    if (ok === 'unknown') return 'unknown';
    if (m.negated ? ok : !ok) result = false;
  }
  return result;
}

/** Runs the packet through `chain` of `table`. */
export function runChain(ipt: IptablesState | undefined, table: string, chain: string, p: Packet, ctx: PacketContext): ChainVerdict {
  const t = ipt?.tables[table];
  const uncertain: IptablesRule[] = [];
  const policy = t?.chains[chain]?.policy;
  const walk = (name: string, depth: number): ChainVerdict | 'return' => {
    if (!t || depth > 16) return 'return';
    for (const rule of t.rules) {
      if (rule.chain !== name) continue;
      const m = matchRule(rule, p, ctx);
      if (m === 'unknown') {
        uncertain.push(rule);
        continue;
      }
      if (!m) continue;
      const target = rule.target;
      if (!target) continue;
      if (target.kind === 'return') return 'return';
      if (FINAL_KINDS.has(target.kind)) return { verdict: target.name, rule, ...((target.kind === 'dnat' || target.kind === 'snat') && target.to ? { to: target.to } : {}), uncertain };
      if (target.kind === 'jump' && t.chains[target.chain]) {
        const r = walk(target.chain, depth + 1);
        if (r !== 'return') return r;
        if (target.goto) return 'return';
      }
      // LOG, MARK, CT ... and unknown targets: the packet goes on
    }
    return 'return';
  };
  const r = walk(chain, 0);
  if (r !== 'return') return r;
  return { verdict: `policy:${policy && policy !== '-' ? policy : 'ACCEPT'}`, uncertain };
}
