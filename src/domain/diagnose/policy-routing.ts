// Policy routing as the kernel does it for one packet: the rules in priority order (from, to, iif,
// oif, ipproto, ports, `not`), each rule's action — a table lookup (no match or a throw route falls
// through to the next rule; suppress_prefixlength), goto, nop, or a refusal (blackhole,
// unreachable, prohibit). Rules on a firewall mark or a uid are skipped (the walk cannot know
// them) and reported. The local table stays the walk's own test (isLocal). Pure.
import type { NamespaceState, RoutingRule } from '../snapshot/snapshot.js';
import { inCidr, prefixOf } from './ipv4.js';
import type { Packet } from './match-packet.js';
import { lookupInTable, lookupRoute, type RouteLookup } from './world.js';

export interface PolicyRoute {
  /** The route the lookup ends on (a reject route too); undefined: none. */
  found?: RouteLookup;
  /** The rule that decided: whose table held the route, or whose action refused the packet. */
  rule?: RoutingRule;
  /** The rule's own action (blackhole, unreachable, prohibit) refused the packet. */
  refused?: boolean;
  /** Rules before the decision that test what the walk cannot judge (fwmark, uidrange, l3mdev). */
  skipped: RoutingRule[];
}

/** The kernel's actions that refuse a packet without any table. */
const REFUSALS = new Set(['blackhole', 'unreachable', 'prohibit']);

function inRange(spec: string, n: number | undefined): boolean {
  if (n === undefined) return false;
  const [lo, hi] = spec.split('-').map(Number);
  return n >= (lo ?? 0) && n <= (hi ?? lo ?? 0);
}

/** Does the rule's selector hold? `iif` undefined: made here (the kernel says iif lo); a source
 *  not chosen yet ('') is 0.0.0.0. 'unknown' when only what the walk cannot judge is left. */
export function matchRoutingRule(r: RoutingRule, p: Packet, iif: string | undefined): boolean | 'unknown' {
  const protoIs = (name: string, num: string) => r.ipproto === name || r.ipproto === num;
  const known = [
    !r.iifDetached,
    !r.from || inCidr(p.src || '0.0.0.0', r.from),
    !r.to || inCidr(p.dst, r.to),
    !r.iif || r.iif === (iif ?? 'lo'),
    // only a socket bound to a device has an output interface at lookup time; probes are not
    !r.oif,
    !r.ipproto || (p.protocol === 'tcp' ? protoIs('tcp', '6') : protoIs('icmp', '1')),
    !r.sport || inRange(r.sport, p.sport),
    !r.dport || inRange(r.dport, p.dport),
    // the probes carry tos 0 and no tunnel metadata
    !(r.other ?? []).some((o) => /^(tos|dsfield|tun_id) /.test(o)),
  ];
  const unknown = r.fwmark !== undefined || (r.other ?? []).some((o) => o.startsWith('uidrange') || o === 'l3mdev');
  const ok = known.every(Boolean);
  if (ok && unknown) return 'unknown';
  // `not` inverts the whole selector
  return r.not ? !ok : ok;
}

/** The route for packet `p` in `ns` (arriving by `iif`, or made here), through the rules. Without
 *  rules in the snapshot (older recordings), the main table alone. */
export function routeByRules(ns: NamespaceState, p: Packet, iif: string | undefined): PolicyRoute {
  const rules = ns.rules;
  if (!rules) {
    const found = lookupRoute(ns, p.dst);
    return { ...(found ? { found } : {}), skipped: [] };
  }
  const skipped: RoutingRule[] = [];
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i]!;
    const m = matchRoutingRule(r, p, iif);
    if (m === 'unknown') skipped.push(r);
    if (m !== true) continue;
    if (r.action === 'goto') {
      const j = rules.findIndex((x) => x.priority === r.goto);
      // an unresolved goto does nothing; a resolved one (always forward) continues at its target
      if (j > i) i = j - 1;
      continue;
    }
    if (REFUSALS.has(r.action)) return { rule: r, refused: true, skipped };
    // nop, and actions the kernel no longer has: on to the next rule
    if (r.action !== 'lookup' || !r.table || r.table === 'local') continue;
    const routes = r.table === 'main' ? ns.routes : (ns.tableRoutes ?? []).filter((x) => x.table === r.table);
    const found = lookupInTable(ns, routes, p.dst);
    // no route here, or a throw route: the next rule
    if (!found || found.route.type === 'throw') continue;
    if (found.dev && r.suppressPrefixlength !== undefined && prefixOf(found.route.dst) <= r.suppressPrefixlength) continue;
    return { found, rule: r, skipped };
  }
  return { skipped };
}
