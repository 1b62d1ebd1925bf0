// The wrong exit: a router sent the packet to a neighbour that has no way back to the source,
// while another neighbour of the same router does route the source back (two uplinks, one per
// customer network). Then what is at fault is the router's choice, in its policy routing: the
// rule that should pick the other table is missing or shadowed by an earlier one, or its table
// has no route (or one via the wrong uplink, or through an uplink that is down). Pure.
import type { NamespaceState, RoutingRule, Snapshot } from '../snapshot/snapshot.js';
import { ipIn } from './commands.js';
import { inCidr, networkOf } from './ipv4.js';
import { matchRoutingRule } from './policy-routing.js';
import type { Packet } from './match-packet.js';
import type { Fault, Hop } from './types.js';
import { findLink, ipv4Addresses, linkLine, lookupInTable, peerOf, routeLine } from './world.js';

interface Exit {
  router: NamespaceState;
  /** The interface it came in by, and the one it left by. */
  in: string;
  out: string;
  /** A neighbour that routes the source back, the router's link to it, and its address there. */
  better: { ns: NamespaceState; dev: string; gateway: string };
}

const ruleLine = (r: RoutingRule) => `${r.priority}:\t${r.spec}`;
const tableRoutes = (ns: NamespaceState, table: string) => (table === 'main' ? ns.routes : (ns.tableRoutes ?? []).filter((r) => r.table === table));

/** Routes back to `src` without a default route (a customer route, a connected subnet). */
function routesBack(ns: NamespaceState, src: string): boolean {
  return ns.routes.some((r) => r.dst !== 'default' && inCidr(src, r.dst)) || ipv4Addresses(ns).some((a) => a.address === src);
}

function findExit(snapshot: Snapshot, path: ReadonlyArray<Hop & { direction: string }>, stuck: string, src: string): Exit | undefined {
  const there = path.filter((h) => h.direction === 'there');
  const i = there.findIndex((h) => h.namespace === stuck);
  const hop = there.slice(0, i < 0 ? there.length : i).filter((h) => h.action === 'routed').pop();
  const router = hop && snapshot.namespaces.find((n) => n.name === hop.namespace);
  if (!hop?.in || !hop.out || !router?.rules) return undefined;
  for (const link of router.links) {
    if (link.name === hop.out || link.name === hop.in || link.type !== 'veth') continue;
    const far = peerOf(snapshot, { ns: router, link });
    if (!far || far.ns.name === stuck || !routesBack(far.ns, src)) continue;
    const gateway = ipv4Addresses(far.ns, far.link.name)[0]?.address;
    if (gateway) return { router, in: hop.in, out: hop.out, better: { ns: far.ns, dev: link.name, gateway } };
  }
  return undefined;
}

export function wrongExitFault(snapshot: Snapshot, path: ReadonlyArray<Hop & { direction: string }>, stuck: string, src: string, dst: string): Fault | undefined {
  const exit = findExit(snapshot, path, stuck, src);
  if (!exit) return undefined;
  const { router: ns, better } = exit;
  const p: Packet = { src, dst, protocol: 'icmp' };
  const rules = (ns.rules ?? []).filter((r) => matchRoutingRule(r, p, exit.in) === true);
  const show = (what: string) => ipIn(ns, what);
  const routeGet = { command: show(`route get ${dst} from ${src} iif ${exit.in}`), line: `${dst} from ${src} dev ${exit.out} (not ${better.dev}, towards ${better.ns.name}, which routes ${src} back)` };
  const uplinkDown = findLink(ns, better.dev);
  const own = ipv4Addresses(ns, exit.in)[0];
  const srcNet = own ? networkOf(own.address, own.prefixlen) : `${src}/32`;
  const base = { namespace: ns.name };
  // a rule that picks another table than main for this source
  const picking = rules.find((r) => r.action === 'lookup' && r.table && !['main', 'local', 'default'].includes(r.table));
  if (picking) {
    const table = picking.table!;
    const earlier = rules.find((r) => r.priority < picking.priority && r.action === 'lookup' && r.table && lookupInTable(ns, tableRoutes(ns, r.table), dst));
    if (earlier) {
      return {
        ...base,
        kind: 'policy-rule-shadowed',
        what: `In ${ns.name}, rule ${earlier.priority} (${earlier.spec}) matches ${src} before rule ${picking.priority} (${picking.spec}), so the packet leaves by ${exit.out} instead of table ${table}'s way out by ${better.dev}, and ${exit.out}'s side has no way back to ${src}.`,
        evidence: [{ command: show('rule show'), line: ruleLine(earlier) }, { command: show('rule show'), line: ruleLine(picking) }, routeGet],
        fix: [show(`rule del priority ${earlier.priority} ${earlier.spec}`)],
      };
    }
    const inTable = lookupInTable(ns, tableRoutes(ns, table), dst);
    const replace = show(`route replace default via ${better.gateway} dev ${better.dev} table ${table}`);
    if (uplinkDown && !uplinkDown.adminUp) {
      return {
        ...base,
        kind: 'link-down',
        what: `${better.dev} in ${ns.name} is down, so table ${table} (which rule ${picking.priority} picks for ${src}) lost its route through it, and the packet falls through to the main table and leaves by ${exit.out}, whose side has no way back to ${src}.`,
        evidence: [{ command: show(`-br link show ${better.dev}`), line: linkLine(uplinkDown) }, { command: show(`route show table ${table}`), line: '(no routes)' }, routeGet],
        fix: [show(`link set ${better.dev} up`), replace],
      };
    }
    return {
      ...base,
      kind: inTable ? 'policy-table-wrong-route' : 'policy-table-no-route',
      what: inTable
        ? `Rule ${picking.priority} sends ${src} to table ${table}, whose route to ${dst} goes by ${inTable.dev ?? '?'} (${inTable.route.gateway ?? 'direct'}), whose side has no way back to ${src}; ${better.ns.name} by ${better.dev} has.`
        : `Rule ${picking.priority} sends ${src} to table ${table}, which has no route to ${dst}, so the lookup falls through to the main table and the packet leaves by ${exit.out}, whose side has no way back to ${src}.`,
      evidence: [{ command: show('rule show'), line: ruleLine(picking) }, { command: show(`route show table ${table}`), line: inTable ? routeLine(inTable.route) : '(no route)' }, routeGet],
      fix: [replace],
    };
  }
  // no rule picks a table for this source: one that would route it by the better uplink
  const orphan = [...new Set((ns.tableRoutes ?? []).map((r) => r.table!))].find((t) => !['main', 'local', 'default'].includes(t) && lookupInTable(ns, tableRoutes(ns, t), dst)?.dev === better.dev);
  if (!orphan) return undefined;
  const route = lookupInTable(ns, tableRoutes(ns, orphan), dst)!;
  return {
    ...base,
    kind: 'policy-rule-missing',
    what: `No ip rule in ${ns.name} sends ${src} (from ${srcNet}) to table ${orphan}, whose route leaves by ${better.dev} towards ${better.ns.name}, which routes ${src} back; the main table sends it by ${exit.out} instead, whose side has no way back.`,
    evidence: [{ command: show(`route show table ${orphan}`), line: routeLine(route.route) }, { command: show('rule show'), line: (ns.rules ?? []).map(ruleLine).join(' | ') }, routeGet],
    fix: [show(`rule add from ${srcNet} lookup ${orphan}`)],
  };
}
