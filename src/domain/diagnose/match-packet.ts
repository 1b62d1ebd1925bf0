// Runs a packet through an iptables chain as the kernel would: rules in order, jumps into user
// chains, RETURN, the policy at the end of a built-in chain. Matches the options labs use; a
// rule with a match it does not understand is skipped and reported as uncertain. Pure.
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
  /** Target options (`--to-destination 192.168.202.11:80`). */
  options: string[];
  /** Rules skipped because a match was not understood. */
  uncertain: IptablesRule[];
}

const FINAL = new Set(['ACCEPT', 'DROP', 'REJECT', 'DNAT', 'SNAT', 'MASQUERADE', 'REDIRECT', 'RETURN']);
const IGNORED_MODULES = new Set(['tcp', 'udp', 'icmp', 'comment', 'statistic']);

function matchInterface(pattern: string, dev: string): boolean {
  if (pattern.endsWith('+')) return dev.startsWith(pattern.slice(0, -1));
  return pattern === dev;
}

function matchPort(spec: string, port: number | undefined): boolean {
  if (port === undefined) return false;
  const [lo, hi] = spec.split(':');
  const a = Number(lo || 0);
  const b = hi === undefined ? a : Number(hi || 65535);
  return port >= a && port <= b;
}

/** Does the rule's match part (the words before -j) match? 'unknown' for matches we cannot judge. */
export function matchRule(args: readonly string[], p: Packet, ctx: PacketContext): boolean | 'unknown' {
  let negate = false;
  let result = true;
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w === '-j' || w === '-g') break;
    if (w === '!') {
      negate = true;
      continue;
    }
    const v = args[i + 1] ?? '';
    let ok: boolean | 'unknown';
    switch (w) {
      case '-s':
        ok = isIpv4(p.src) && inCidr(p.src, v);
        i++;
        break;
      case '-d':
        ok = isIpv4(p.dst) && inCidr(p.dst, v);
        i++;
        break;
      case '-i':
        ok = matchInterface(v, ctx.in);
        i++;
        break;
      case '-o':
        ok = matchInterface(v, ctx.out);
        i++;
        break;
      case '-p':
        ok = v === 'all' || v === p.protocol || (v === '6' && p.protocol === 'tcp') || (v === '1' && p.protocol === 'icmp');
        i++;
        break;
      case '--dport':
      case '--destination-port':
        ok = matchPort(v, p.dport);
        i++;
        break;
      case '--sport':
      case '--source-port':
        ok = matchPort(v, p.sport);
        i++;
        break;
      case '--ctstate':
      case '--state':
        ok = v.split(',').includes(ctx.ctstate);
        i++;
        break;
      case '--dst-type':
        ok = v === 'LOCAL' ? ctx.isLocal(p.dst) : 'unknown';
        i++;
        break;
      case '--src-type':
        ok = v === 'LOCAL' ? ctx.isLocal(p.src) : 'unknown';
        i++;
        break;
      case '--icmp-type':
        ok = p.protocol === 'icmp' && (v === 'echo-request' || v === '8' || v === 'any');
        i++;
        break;
      case '-m':
        i++;
        if (IGNORED_MODULES.has(v) || v === 'conntrack' || v === 'state' || v === 'addrtype') continue;
        return 'unknown';
      case '--comment':
      case '--mode':
      case '--probability':
      case '--every':
      case '--packet':
        i++;
        continue;
      default:
        return 'unknown';
    }
    if (ok === 'unknown') return 'unknown';
    if (negate ? ok : !ok) result = false;
    negate = false;
  }
  return result;
}

function targetOf(args: readonly string[]): { target?: string; options: string[]; goto: boolean } {
  const j = args.findIndex((w) => w === '-j' || w === '-g');
  if (j < 0) return { options: [], goto: false };
  return { target: args[j + 1], options: args.slice(j + 2), goto: args[j] === '-g' };
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
      const m = matchRule(rule.args, p, ctx);
      if (m === 'unknown') {
        uncertain.push(rule);
        continue;
      }
      if (!m) continue;
      const { target, options, goto } = targetOf(rule.args);
      if (!target) continue;
      if (target === 'RETURN') return 'return';
      if (FINAL.has(target)) return { verdict: target, rule, options, uncertain };
      if (t.chains[target]) {
        const r = walk(target, depth + 1);
        if (r !== 'return') return r;
        if (goto) return 'return';
      }
      // LOG, MARK, CT ... and unknown targets: the packet goes on
    }
    return 'return';
  };
  const r = walk(chain, 0);
  if (r !== 'return') return r;
  return { verdict: `policy:${policy && policy !== '-' ? policy : 'ACCEPT'}`, options: [], uncertain };
}

/** The value of a target option, e.g. --to-destination. */
export function optionValue(options: readonly string[], name: string): string | undefined {
  const i = options.indexOf(name);
  return i >= 0 ? options[i + 1] : undefined;
}
