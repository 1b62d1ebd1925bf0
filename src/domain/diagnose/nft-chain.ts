// Runs a packet through native nftables chains as the kernel would: the base chains on a hook in
// priority order, each rule's tests (all must hold), jump/goto/return, the policy at the end.
// A test it cannot judge (meta mark, fib, a verdict map...) leaves the rule "uncertain": skipped,
// and reported, never guessed. Chains iptables-nft made are skipped: iptables-save showed them
// and match-packet.ts judges them. Pure.
import type { NamespaceState, NftChain, NftMatch, NftRule, NftState } from '../snapshot/snapshot.js';
import { inCidr, parseIpv4 } from './ipv4.js';
import type { Packet, PacketContext } from './match-packet.js';

export interface NftVerdict {
  /** The base chain that decided. */
  chain: NftChain;
  /** 'accept', 'drop', 'reject', a NAT ('masquerade', 'snat', 'dnat', 'redirect'), or
   *  'policy:accept' / 'policy:drop' when the chain ended without a deciding rule. */
  verdict: string;
  rule?: NftRule;
  /** Rules skipped because a test could not be judged. */
  uncertain: NftRule[];
}

type Tri = boolean | 'unknown';

function matchName(pattern: string, dev: string): boolean {
  return pattern.endsWith('*') ? dev.startsWith(pattern.slice(0, -1)) : pattern === dev;
}

function matchAddress(value: string, address: string): Tri {
  if (!parseIpv4(address)) return false;
  const dash = value.indexOf('-');
  if (dash > 0) {
    const [lo, hi, a] = [parseIpv4(value.slice(0, dash)), parseIpv4(value.slice(dash + 1)), parseIpv4(address)!];
    return lo === undefined || hi === undefined ? 'unknown' : a >= lo && a <= hi;
  }
  return parseIpv4(value.split('/')[0]!) === undefined ? 'unknown' : inCidr(address, value);
}

function matchNumber(value: string, n: number | undefined): Tri {
  if (n === undefined) return false;
  const [lo, hi] = value.split('-').map(Number);
  if (!Number.isInteger(lo) || (hi !== undefined && !Number.isInteger(hi))) return 'unknown';
  return n >= lo! && n <= (hi ?? lo!);
}

const PROTOCOLS: Record<string, Packet['protocol']> = { tcp: 'tcp', '6': 'tcp', icmp: 'icmp', '1': 'icmp' };

/** One value of one test. */
function matchValue(key: string, value: string, p: Packet, ctx: PacketContext): Tri {
  switch (key) {
    case 'iifname':
    case 'iif':
      return matchName(value, ctx.in);
    case 'oifname':
    case 'oif':
      return matchName(value, ctx.out);
    case 'ip saddr':
      return matchAddress(value, p.src);
    case 'ip daddr':
      return matchAddress(value, p.dst);
    case 'meta l4proto':
    case 'ip protocol':
      // any other protocol (udp, 17, sctp...) is not this packet's
      return PROTOCOLS[value] === p.protocol;
    case 'meta nfproto':
      return value === 'ipv4';
    case 'meta protocol':
    case 'ether type':
      return value === 'ip' || value === '0x0800' || value === '2048';
    case 'tcp dport':
    case 'th dport':
      return matchNumber(value, p.dport);
    case 'tcp sport':
    case 'th sport':
      return matchNumber(value, p.sport);
    case 'ct state':
      return value === ctx.ctstate.toLowerCase();
    case 'icmp type':
      return value === (ctx.ctstate === 'NEW' ? 'echo-request' : 'echo-reply');
    default:
      return 'unknown';
  }
}

/** Tests that carry a protocol dependency: on another protocol the rule cannot match at all. */
function wrongProtocol(key: string, p: Packet): boolean {
  if (/^(ip6|icmpv6|arp|vlan)\b/.test(key) || key.startsWith('udp') || key.startsWith('sctp')) return true;
  if (key.startsWith('tcp ') || key.startsWith('th ')) return p.protocol !== 'tcp';
  if (key.startsWith('icmp ')) return p.protocol !== 'icmp';
  return false;
}

function matchTest(m: NftMatch, p: Packet, ctx: PacketContext): Tri {
  if (m.values.length === 0 || (m.op !== '==' && m.op !== '!=')) return 'unknown';
  let any: Tri = false;
  for (const v of m.values) {
    const r = v.startsWith('@') ? 'unknown' : matchValue(m.key, v, p, ctx);
    if (r === true) {
      any = true;
      break;
    }
    if (r === 'unknown') any = 'unknown';
  }
  if (any === 'unknown') return 'unknown';
  return m.op === '==' ? any : !any;
}

/** Do the rule's tests hold? One that fails decides, even beside ones it cannot judge. */
export function matchNftRule(rule: NftRule, p: Packet, ctx: PacketContext): Tri {
  if (rule.matches.some((m) => wrongProtocol(m.key, p))) return false;
  let result: Tri = true;
  for (const m of rule.matches) {
    const r = matchTest(m, p, ctx);
    if (r === false) return false;
    if (r === 'unknown') result = 'unknown';
  }
  return result;
}

const DECIDES = new Set(['accept', 'drop', 'reject', 'masquerade', 'snat', 'dnat', 'redirect']);

// rules by `family table chain`, built once per ruleset (a Kubernetes node has thousands)
const indexes = new WeakMap<NftState, Map<string, NftRule[]>>();

function rulesOf(nft: NftState, family: string, table: string, chain: string): NftRule[] {
  let index = indexes.get(nft);
  if (!index) {
    index = new Map();
    for (const r of nft.rules) {
      const key = `${r.family} ${r.table} ${r.chain}`;
      const list = index.get(key);
      if (list) list.push(r);
      else index.set(key, [r]);
    }
    indexes.set(nft, index);
  }
  return index.get(`${family} ${table} ${chain}`) ?? [];
}

/** Runs the packet through one base chain (and the chains it jumps to). */
export function runNftChain(nft: NftState, base: NftChain, p: Packet, ctx: PacketContext): NftVerdict {
  const uncertain: NftRule[] = [];
  const walk = (name: string, depth: number): NftVerdict | 'return' => {
    if (depth > 16) return 'return';
    for (const rule of rulesOf(nft, base.family, base.table, name)) {
      const m = matchNftRule(rule, p, ctx);
      if (m === 'unknown') {
        if (rule.action) uncertain.push(rule);
        continue;
      }
      if (!m || !rule.action || rule.action === 'continue' || rule.action === 'notrack') continue;
      if (DECIDES.has(rule.action)) return { chain: base, verdict: rule.action, rule, uncertain };
      if (rule.action === 'return') return 'return';
      if ((rule.action === 'jump' || rule.action === 'goto') && rule.target) {
        const r = walk(rule.target, depth + 1);
        if (r !== 'return' || rule.action === 'goto') return r;
        continue;
      }
      // queue, an xt target, a verdict map: the walk cannot say what happens next
      uncertain.push(rule);
    }
    return 'return';
  };
  const r = walk(base.name, 0);
  return r === 'return' ? { chain: base, verdict: `policy:${base.policy ?? 'accept'}`, uncertain } : r;
}

/** The native base chains of these types on `hook` for an IPv4 packet (families ip and inet, or
 *  bridge for bridged frames), lowest priority first. */
export function nftBaseChains(ns: NamespaceState, hook: string, types: readonly string[], families: readonly string[] = ['ip', 'inet'], device?: string): NftChain[] {
  const chains = ns.nftables?.chains ?? [];
  return chains
    .filter((c) => c.hook === hook && families.includes(c.family) && types.includes(c.type ?? 'filter'))
    // an ingress chain sees only its own device's packets
    .filter((c) => device === undefined || c.device === undefined || c.device === device)
    // iptables-nft's chains: iptables-save showed them (legacy iptables keeps its rules elsewhere)
    .filter((c) => !(c.family === 'ip' && ns.iptables?.backend !== 'legacy' && ns.iptables?.tables[c.table]?.chains[c.name]))
    .sort((a, b) => (a.priority ?? 0) - (b.priority ?? 0));
}

/** A skipped rule that might have let the packet through (or sent it elsewhere). */
export function mightAccept(rule: NftRule): boolean {
  return rule.action !== 'drop' && rule.action !== 'reject';
}

/** The chain as nft names it: `inet filter forward`. */
export function chainName(c: Pick<NftChain, 'family' | 'table' | 'name'>): string {
  return `${c.family} ${c.table} ${c.name}`;
}
