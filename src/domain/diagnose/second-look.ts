// A second look when the probe failed and the walk's answer is doubtful (no fault on paper, or
// "no route" / "nothing listens" / "no way back" at a namespace that may only be where the packet
// ended up, not where it went wrong): a down link that holds the destination's subnet, and chains
// that drifted from a sibling node's, and a router's policy routing that chose an exit with no way
// back. Pure.
import type { Snapshot } from '../snapshot/snapshot.js';
import { ipIn } from './commands.js';
import { inCidr } from './ipv4.js';
import { siblingDriftFault } from './sibling-drift.js';
import { wrongExitFault } from './policy-exit.js';
import type { Fault, Hop } from './types.js';
import { linkLine, routeLine } from './world.js';

/** Faults whose namespace may be where the packet ended up rather than where it went wrong. */
const DOUBTFUL = new Set(['no-route', 'not-listening', 'no-route-back', 'no-default-route', 'forward-policy']);

export function isDoubtful(fault: Fault | undefined): boolean {
  return !fault || DOUBTFUL.has(fault.kind);
}

/** A link that is down and has an address whose subnet holds one of `addresses`. */
function downLinkHolding(snapshot: Snapshot, addresses: readonly string[]): Fault | undefined {
  for (const ns of snapshot.namespaces) {
    for (const link of ns.links) {
      if (link.adminUp || link.type === 'loopback') continue;
      const a = ns.addresses.find((x) => x.dev === link.name && x.family === 'inet' && addresses.some((d) => inCidr(d, `${x.address}/${x.prefixlen}`)));
      if (!a) continue;
      return {
        kind: 'link-down',
        namespace: ns.name,
        what: `${link.name} in ${ns.name} is down, and it holds ${a.address}/${a.prefixlen}, the subnet of ${addresses.find((d) => inCidr(d, `${a.address}/${a.prefixlen}`))}: with it down, its route is gone and nothing is delivered there.`,
        evidence: [{ command: ipIn(ns, `-br link show ${link.name}`), line: linkLine(link) }],
        fix: [ipIn(ns, `link set ${link.name} up`)],
      };
    }
  }
  return undefined;
}

/** "no route" at X, where the packet only went by default routes: the subnet is connected at H,
 *  and an earlier router R on the path is H's neighbour: R is where the route belongs (the
 *  podCIDR route of a node), not X, which only received it by R's default route. */
function routeAtEarlierRouter(snapshot: Snapshot, path: ReadonlyArray<Hop & { direction: 'there' | 'back' }>, stuck: string, dst: string): Fault | undefined {
  const holder = snapshot.namespaces.find((n) => n.name !== stuck && n.routes.some((r) => r.dst !== 'default' && !r.gateway && r.dev !== 'lo' && inCidr(dst, r.dst)) && n.sysctls['net.ipv4.ip_forward'] === '1');
  const subnet = holder?.routes.find((r) => r.dst !== 'default' && !r.gateway && inCidr(dst, r.dst))?.dst;
  if (!holder || !subnet || !subnet.includes('/')) return undefined;
  const there = path.filter((h) => h.direction === 'there' && (h.action === 'routed' || h.action === 'sent') && h.namespace !== stuck && h.namespace !== holder.name);
  for (const hop of there) {
    const r = snapshot.namespaces.find((n) => n.name === hop.namespace);
    if (!r || r.routes.some((x) => x.dst !== 'default' && inCidr(dst, x.dst))) continue;
    // an address of the holder's in one of R's subnets (not dst's own)
    const shared = holder.addresses.find((a) => a.family === 'inet' && a.scope === 'global' && !inCidr(a.address, subnet) && r.addresses.some((b) => b.family === 'inet' && b.scope === 'global' && b.prefixlen < 32 && inCidr(a.address, `${b.address}/${b.prefixlen}`)));
    if (!shared) continue;
    const route = r.routes.find((x) => x.dst === 'default');
    return {
      kind: 'no-route',
      namespace: r.name,
      what: `${r.name} has no route to ${subnet}, which is ${holder.name}'s (on its ${holder.routes.find((x) => x.dst === subnet)?.dev ?? '?'}); ${holder.name} is ${r.name}'s neighbour at ${shared.address}, yet ${r.name} sends ${dst} by its default route to ${stuck}, which has no route to it either.`,
      evidence: [{ command: ipIn(r, `route get ${dst}`), line: route ? routeLine(route) : '(no route)' }, { command: ipIn(holder, `route show ${subnet}`), line: routeLine(holder.routes.find((x) => x.dst === subnet)!) }],
      fix: [ipIn(r, `route add ${subnet} via ${shared.address}`)],
    };
  }
  return undefined;
}

export function secondLook(snapshot: Snapshot, path: ReadonlyArray<Hop & { direction: 'there' | 'back' }>, destinations: readonly string[], fault: Fault | undefined, source = ''): Fault | undefined {
  if (!isDoubtful(fault)) return undefined;
  if (fault?.kind === 'no-route-back' && source) {
    const exit = wrongExitFault(snapshot, path, fault.namespace, source, destinations.at(-1)!);
    if (exit) return exit;
  }
  const along = [...new Set(path.filter((h) => h.direction === 'there').map((h) => h.namespace))];
  if (fault && !along.includes(fault.namespace)) along.push(fault.namespace);
  const stuck = fault?.kind === 'no-route' ? routeAtEarlierRouter(snapshot, path, fault.namespace, destinations.at(-1)!) : undefined;
  return downLinkHolding(snapshot, destinations) ?? siblingDriftFault(snapshot, along) ?? stuck;
}
