// When the next hop's address is not where the sender's frames go: nobody on the link has it
// (a missing or misplaced gateway address, a bridge port detached or in another bridge on either
// side, a DNAT or SNAT to nowhere, a route via the wrong gateway where a router sits on the same
// link), or the sender's neighbour entry for it names another MAC than the owner's. A fix never
// gives an address to one namespace while another still has it. Pure.
import type { Address, NamespaceState, Route } from '../snapshot/snapshot.js';
import { flushUnanswered, ipIn, runIn } from './commands.js';
import { dnatTo, dnatToNowhere } from './dnat-target.js';
import { inCidr } from './ipv4.js';
import type { Packet } from './match-packet.js';
import type { Evidence, Fault } from './types.js';
import type { Direction, Walk } from './walk-state.js';
import { routeByRules } from './policy-routing.js';
import { snatToNowhere } from './snat-target.js';
import { findLink, ipv4Addresses, linkLine, lookupRoute, peerOf, routeLine, type End } from './world.js';


/** Nobody on the link owns the next hop: say where it is instead (if anywhere) and where it goes. */
export function nextHopMissing(w: Walk, from: NamespaceState, oif: string, nextHop: string, dst: string, reachable: End[]): Fault {
  const neighbour = from.neighbours.find((n) => n.address === nextHop);
  const evidence = neighbour ? [{ command: ipIn(from, `neigh show ${nextHop}`), line: `${nextHop} dev ${neighbour.dev} ${neighbour.lladdr ? `lladdr ${neighbour.lladdr} ` : ''}${neighbour.state.join(' ')}` }] : [];
  const ownAddr = ipv4Addresses(from, oif).find((a) => inCidr(nextHop, `${a.address}/${a.prefixlen}`));
  const prefix = ownAddr?.prefixlen ?? 24;
  const elsewhere = w.snapshot.namespaces.flatMap((ns) => ipv4Addresses(ns).filter((a) => a.address === nextHop).map((a) => ({ ns, a })));
  // where it should be: the bridge on this link, else the other end of the veth
  const home = reachable.find((e) => e.link.type === 'bridge') ?? reachable.find((e) => e.ns.name !== from.name) ?? reachable[0];
  const dnat = dnatTo(w, nextHop);
  if (dnat && elsewhere.length === 0) return dnatToNowhere(w, dnat, from, oif, evidence);
  // a reply to the address an SNAT on the way there gave the packet
  const snat = elsewhere.length === 0 && nextHop === dst ? snatToNowhere(w, nextHop, { nobody: true }, evidence) : undefined;
  if (snat) return snat;
  const isGateway = lookupIsGateway(from, nextHop);
  const role = isGateway ? `${from.name}'s gateway ${nextHop}` : nextHop;
  const fix: string[] = [];
  let what: string;
  // the far end of our veth is not in the bridge that has the next hop: a detached port
  const farEnd = reachable.find((e) => e.ns.name !== from.name || e.link.name !== oif);
  const bridgeThere = farEnd && !farEnd.link.master ? elsewhere.find((e) => e.ns.name === farEnd.ns.name && findLink(e.ns, e.a.dev)?.type === 'bridge') : undefined;
  if (farEnd && bridgeThere && farEnd.link.type === 'veth') {
    return {
      kind: 'port-detached',
      namespace: farEnd.ns.name,
      what: `${farEnd.link.name} in ${farEnd.ns.name}, the other end of ${from.name}'s ${oif}, is not a port of the bridge ${bridgeThere.a.dev}, where ${role} is; so ${from.name}'s frames never reach it.`,
      evidence: [
        { command: ipIn(farEnd.ns, `-br link show ${farEnd.link.name}`), line: linkLine(farEnd.link) },
        { command: ipIn(bridgeThere.ns, `-br addr show ${bridgeThere.a.dev}`), line: `${bridgeThere.a.dev} ${findLink(bridgeThere.ns, bridgeThere.a.dev)?.operState ?? '?'} ${bridgeThere.a.address}/${bridgeThere.a.prefixlen}` },
        ...evidence,
      ],
      fix: [ipIn(farEnd.ns, `link set ${farEnd.link.name} master ${bridgeThere.a.dev}`)],
    };
  }
  // the far end of our veth is no port at all, in a namespace whose bridge has the owner as a port
  if (farEnd && farEnd.link.type === 'veth' && !farEnd.link.master && !ipv4Addresses(farEnd.ns, farEnd.link.name).length) {
    const viaPort = elsewhere.flatMap((e) => {
      const l = findLink(e.ns, e.a.dev);
      const p = l?.type === 'veth' ? peerOf(w.snapshot, { ns: e.ns, link: l }) : undefined;
      return p && p.ns === farEnd.ns && p.link.master ? [{ holder: e, bridge: p.link.master }] : [];
    })[0];
    if (viaPort) {
      return {
        kind: 'port-detached',
        namespace: farEnd.ns.name,
        what: `${farEnd.link.name} in ${farEnd.ns.name}, the other end of ${from.name}'s ${oif}, is not a port of the bridge ${viaPort.bridge}, where ${role} (${viaPort.holder.ns.name}) hangs; so ${from.name}'s frames never reach it.`,
        evidence: [{ command: ipIn(farEnd.ns, `-br link show ${farEnd.link.name}`), line: linkLine(farEnd.link) }, ...evidence],
        fix: [ipIn(farEnd.ns, `link set ${farEnd.link.name} master ${viaPort.bridge}`), ...flushUnanswered(from, nextHop, oif)],
      };
    }
  }
  // the owner's cable ends in this bridge's namespace, but not in this bridge
  const away = holderPortAway(w, elsewhere, reachable, from, oif, role, evidence);
  if (away) return away;
  // a gateway that is another namespace's own address elsewhere: the route is what is wrong
  const foreign = elsewhere.filter((e) => e.ns !== home?.ns);
  const wrong = elsewhere.length === 0 || (isGateway && foreign.length) ? wrongGateway(w, from, oif, nextHop, dst, reachable, evidence, foreign) : undefined;
  if (wrong) return wrong;
  // a gateway outside the sender's subnets (169.254.1.1 on a /32 pod) is answered by proxy ARP on
  // the far end of a veth, where a router sits
  if (isGateway && !ownAddr && elsewhere.length === 0 && home && home.ns !== from && home.link.type === 'veth' && !home.link.master && forwards(home.ns, home.link.name)) {
    const key = `net.ipv4.conf.${home.link.name.replace(/\./g, '/')}.proxy_arp`;
    w.notes.push(`Or give ${nextHop} to ${home.ns.name}'s ${home.link.name}: ${ipIn(home.ns, `addr add ${nextHop}/32 dev ${home.link.name}`)}.`);
    return {
      kind: 'gateway-missing',
      namespace: from.name,
      what: `Nothing on the link behind ${from.name}'s ${oif} has ${from.name}'s gateway ${nextHop}, and ${home.ns.name}, the router at the other end, does not answer for it by proxy ARP (${key} is ${home.ns.sysctls[key] ?? 0}).`,
      evidence: [...evidence, { command: runIn(home.ns, `sysctl ${key}`), line: `${key} = ${home.ns.sysctls[key] ?? '0'}` }],
      fix: [runIn(home.ns, `sysctl -w ${key}=1`)],
    };
  }
  if (elsewhere.length) {
    const where = elsewhere.map((e) => `${e.ns.name}:${e.a.dev}`).join(', ');
    what = `${role} is on ${where}, which is not on the link behind ${from.name}'s ${oif}, so nothing answers for it there.`;
    for (const e of elsewhere) {
      evidence.push({ command: ipIn(e.ns, `-br addr show ${e.a.dev}`), line: `${e.a.dev} ${findLink(e.ns, e.a.dev)?.operState ?? '?'} ${e.a.address}/${e.a.prefixlen}` });
      if (home && isGateway && !foreign.length) fix.push(ipIn(e.ns, `addr del ${e.a.address}/${e.a.prefixlen} dev ${e.a.dev}`));
    }
  } else {
    what = `Nothing on the link behind ${from.name}'s ${oif} has the address ${nextHop}${isGateway ? ` (${from.name}'s gateway)` : ''}, so its ARP requests go unanswered.`;
  }
  // a gateway address misplaced in the router itself is moved to this link (deleted where it is,
  // above); an address another namespace has is theirs, and stays theirs
  if (home && isGateway && !foreign.length) fix.push(ipIn(home.ns, `addr add ${nextHop}/${prefix} dev ${home.link.name}`));
  else if (isGateway && foreign.length) fix.push(`# ${nextHop} is ${foreign.map((e) => `${e.ns.name}'s ${e.a.dev}`).join(', ')}, on another link: route via a router on the link behind ${from.name}'s ${oif} instead`);
  else if (elsewhere.length) fix.push(`# connect ${elsewhere.map((e) => `${e.ns.name}'s ${e.a.dev}`).join(', ')} to the link behind ${from.name}'s ${oif}, or route to ${nextHop} via a router`);
  if (home) evidence.push({ command: ipIn(home.ns, `-br addr show ${home.link.name}`), line: `${home.link.name} ${home.link.operState} ${ipv4Addresses(home.ns, home.link.name).map((a) => `${a.address}/${a.prefixlen}`).join(' ')}`.trimEnd() });
  if (!fix.length) fix.push(`# no namespace on that link has ${nextHop}: check the address you are trying to reach`);
  return { kind: isGateway ? 'gateway-missing' : 'neighbour-missing', namespace: from.name, what, evidence, fix };
}

/** The next hop's owner is cabled by a veth whose far end sits in the namespace of a bridge on
 *  the sender's link, but is a port of another bridge, or of none: put it back in that bridge. */
function holderPortAway(w: Walk, holders: Array<{ ns: NamespaceState; a: Address }>, reachable: End[], from: NamespaceState, oif: string, role: string, evidence: Evidence[]): Fault | undefined {
  for (const h of holders) {
    const link = findLink(h.ns, h.a.dev);
    const far = link?.type === 'veth' ? peerOf(w.snapshot, { ns: h.ns, link }) : undefined;
    if (!link || !far) continue;
    const { ns: peerNs, link: peer } = far;
    const own = findLink(from, oif);
    // the sender may be the bridge itself (a router's cni0)
    const bridge = reachable.find((e) => e.ns === peerNs && e.link.type === 'bridge') ?? (own?.type === 'bridge' && peerNs === from ? { ns: from, link: own } : undefined);
    if (!bridge || peer.master === bridge.link.name || peer.type === 'bridge') continue;
    // a bridge port has no address of its own (an uplink does), and the owner's address is one of
    // this link's (a gateway on another network is not a cable that slipped out)
    const subnets = [...ipv4Addresses(from, oif), ...ipv4Addresses(bridge.ns, bridge.link.name)].filter((a) => a.prefixlen < 32).map((a) => `${a.address}/${a.prefixlen}`);
    if (ipv4Addresses(peerNs, peer.name).length || !subnets.some((c) => inCidr(h.a.address, c))) continue;
    const other = peer.master ? findLink(peerNs, peer.master) : undefined;
    const now = other ? `is a port of ${other.name}, not of ${bridge.link.name}` : `is not a port of ${bridge.link.name} (nor of any bridge)`;
    return {
      kind: other ? 'port-wrong-bridge' : 'port-detached',
      namespace: peerNs.name,
      what: `${peer.name} in ${peerNs.name}, the other end of ${h.ns.name}'s ${h.a.dev} (which has ${role}), ${now}, the bridge behind ${from.name}'s ${oif}; so ${from.name}'s ARP requests for ${h.a.address} never reach ${h.ns.name}.`,
      evidence: [
        { command: ipIn(peerNs, `-br link show ${peer.name}`), line: linkLine(peer) },
        { command: ipIn(h.ns, `-br addr show ${h.a.dev}`), line: `${h.a.dev} ${link.operState} ${h.a.address}/${h.a.prefixlen}` },
        ...evidence,
      ],
      fix: [ipIn(peerNs, `link set ${peer.name} master ${bridge.link.name}`), ...flushUnanswered(from, h.a.address, oif)],
    };
  }
  return undefined;
}

function lookupIsGateway(ns: NamespaceState, address: string): boolean {
  return ns.routes.some((r) => r.gateway === address);
}

/** Does ns forward packets that come in by dev? */
function forwards(ns: NamespaceState, dev: string): boolean {
  return ns.sysctls['net.ipv4.ip_forward'] === '1' && ns.sysctls[`net.ipv4.conf.${dev.replace(/\./g, '/')}.forwarding`] !== '0';
}

/** Routers other than `except` with an address in one of `subnets`, by how well they lead on to
 *  dst (a route out of another device than the one on that subnet first). */
function routersOn(w: Walk, subnets: string[], dst: string, except: NamespaceState[]): Array<End & { a: Address }> {
  const found = w.snapshot.namespaces
    .filter((n) => !except.includes(n) && n.kind !== 'upstream')
    .flatMap((ns) => ipv4Addresses(ns).filter((a) => subnets.some((s) => inCidr(a.address, s)) && forwards(ns, a.dev)).map((a) => ({ ns, a, link: findLink(ns, a.dev) })))
    .filter((r): r is End & { a: Address } => r.link !== undefined);
  const onwards = (r: End) => {
    const on = lookupRoute(r.ns, dst);
    // one with dst's own subnet (a node with the podCIDR) before one that only has a default
    return on?.dev !== undefined && on.dev !== r.link.name ? (on.route.dst === 'default' ? 1 : 2) : 0;
  };
  return found.filter((r) => onwards(r) === 1);
}

/** The packet reached `gw` because the previous hop routed it there, but gw does not forward and
 *  would only send it back out where it came from: gw is a host taken for a router. When a real
 *  router sits on that link, the previous hop's route is the fault. */
export function gatewayNotRouter(w: Walk, gw: NamespaceState, iif: string, p: Packet, dir: Direction, off: Evidence): Fault | undefined {
  const prev = w.path.filter((h) => h.direction === dir && (h.action === 'sent' || h.action === 'routed')).at(-1);
  const from = prev && w.snapshot.namespaces.find((n) => n.name === prev.namespace);
  if (!prev?.via || !prev.out || !from) return undefined;
  const back = lookupRoute(gw, p.dst);
  if (back?.dev !== undefined && back.dev !== iif) return undefined;
  // the route `from` took, through its policy rules (it may live in another table than main)
  const route = routeByRules(from, p, prev.in).found?.route;
  const subnets = ipv4Addresses(from, prev.out).filter((a) => a.prefixlen < 32).map((a) => `${a.address}/${a.prefixlen}`);
  const router = routersOn(w, subnets, p.dst, [from, gw])[0];
  if (!route || route.gateway !== prev.via || !router) return undefined;
  const metric = `${route.metric !== undefined ? ` metric ${route.metric}` : ''}${route.table ? ` table ${route.table}` : ''}`;
  w.notes.push(`Or, if ${gw.name} is meant to route: ${runIn(gw, `sysctl -w ${off.line.split(' ')[0]}=1`)}.`);
  return {
    kind: 'wrong-gateway',
    namespace: from.name,
    what: `${from.name}'s ${route.dst === 'default' ? 'default route' : `route to ${route.dst}`} goes via ${prev.via}, ${gw.name}'s ${iif}, which is not a router (it does not forward, and its own way to ${p.dst} leads back out of ${iif}); the router on that link is ${router.a.address} (${router.ns.name}'s ${router.link.name}).`,
    evidence: [{ command: ipIn(from, `route show ${route.dst}${route.table ? ` table ${route.table}` : ''}`), line: routeLine(route) }, off, { command: ipIn(router.ns, `-br addr show ${router.link.name}`), line: `${router.link.name} ${router.link.operState} ${router.a.address}/${router.a.prefixlen}` }],
    fix: [ipIn(from, `route replace ${route.dst} via ${router.a.address}${metric}`)],
  };
}

/** The sender's route points at a gateway nobody has, while a router (an address in the same
 *  subnet, in a namespace that forwards) is on the link: the route is what is wrong. */
function wrongGateway(w: Walk, from: NamespaceState, oif: string, nextHop: string, dst: string, reachable: End[], neighbourEvidence: Fault['evidence'], holders: Array<{ ns: NamespaceState; a: Address }> = []): Fault | undefined {
  const choice = lookupRoute(from, dst);
  const route: Route | undefined = choice?.route;
  if (!route || route.gateway !== nextHop) return undefined;
  const own = ipv4Addresses(from, oif).filter((a) => a.prefixlen < 32);
  // the gateway's subnet on this link; for a gateway outside them all (onlink), any of this link's
  const inSubnet = own.filter((a) => inCidr(nextHop, `${a.address}/${a.prefixlen}`));
  const subnets = (inSubnet.length ? inSubnet : own).map((a) => `${a.address}/${a.prefixlen}`);
  const routers = reachable
    .filter((e) => e.ns.name !== from.name && e.ns.kind !== 'upstream' && forwards(e.ns, e.link.name))
    .flatMap((e) => ipv4Addresses(e.ns, e.link.name).filter((a) => subnets.some((s) => inCidr(a.address, s))).map((a) => ({ ...e, a })));
  // a router that has a way on towards dst (not back out of the same link) first
  const onwards = (r: (typeof routers)[number]) => {
    const on = lookupRoute(r.ns, dst);
    // one with dst's own subnet (a node with the podCIDR) before one that only has a default
    return on?.dev !== undefined && on.dev !== r.link.name ? (on.route.dst === 'default' ? 1 : 2) : 0;
  };
  const router = routers.sort((a, b) => onwards(b) - onwards(a))[0];
  if (!router) return undefined;
  const metric = route.metric !== undefined ? ` metric ${route.metric}` : '';
  // the address is someone's own elsewhere: never suggest giving it to the router as well
  const theirs = holders.map((h) => `${h.ns.name}'s ${h.a.dev}`).join(', ');
  const alternative = `${ipIn(router.ns, `addr add ${nextHop}/${router.a.prefixlen} dev ${router.link.name}`)}`;
  if (!holders.length) w.notes.push(`Or, if ${nextHop} is meant to be the gateway, give that address to the router on the link instead: ${alternative}.`);
  return {
    kind: 'wrong-gateway',
    namespace: from.name,
    what: `${from.name}'s ${route.dst === 'default' ? 'default route' : `route to ${route.dst}`} goes via ${nextHop}, which nothing on the link behind ${oif} has${holders.length ? ` (it is ${theirs}, on another link)` : ''}; the router on that link is ${router.a.address} (${router.ns.name}'s ${router.link.name}).`,
    evidence: [
      { command: ipIn(from, `route show ${route.dst}`), line: routeLine(route) },
      ...neighbourEvidence,
      { command: ipIn(router.ns, `-br addr show ${router.link.name}`), line: `${router.link.name} ${router.link.operState} ${ipv4Addresses(router.ns, router.link.name).map((a) => `${a.address}/${a.prefixlen}`).join(' ')}` },
    ],
    fix: [ipIn(from, `route replace ${route.dst} via ${router.a.address}${metric}`)],
  };
}

/** The sender's neighbour entry for the next hop names a MAC other than the owner's: its frames go
 *  elsewhere (a permanent entry is never corrected by ARP). */
export function neighbourMismatch(w: Walk, from: NamespaceState, oif: string, nextHop: string, owner: End): Fault | undefined {
  const n = from.neighbours.find((x) => x.address === nextHop && x.dev === oif);
  const mac = owner.link.mac?.toLowerCase();
  if (!n?.lladdr || !mac || n.state.some((s) => s === 'FAILED' || s === 'INCOMPLETE')) return undefined;
  const said = n.lladdr.toLowerCase();
  if (said === mac) return undefined;
  const holder = w.snapshot.namespaces.flatMap((ns) => ns.links.filter((l) => l.mac?.toLowerCase() === said).map((l) => `${ns.name}'s ${l.name}`))[0];
  const permanent = n.state.includes('PERMANENT') || n.state.includes('NOARP');
  return {
    kind: 'neighbour-wrong-mac',
    namespace: from.name,
    what: `${from.name}'s neighbour entry for ${nextHop} says ${n.lladdr} (${holder ?? 'no interface here has that MAC'}), but ${nextHop} is on ${owner.ns.name}'s ${owner.link.name}, whose MAC is ${owner.link.mac}; so ${from.name} sends its frames to the wrong MAC${permanent ? ', and ARP never corrects a permanent entry' : ''}.`,
    evidence: [
      { command: ipIn(from, `neigh show ${nextHop} dev ${oif}`), line: `${nextHop} dev ${oif} lladdr ${n.lladdr} ${n.state.join(' ')}` },
      { command: ipIn(owner.ns, `-br link show ${owner.link.name}`), line: `${owner.link.name} ${owner.link.operState} ${owner.link.mac} <${owner.link.flags.join(',')}>` },
    ],
    fix: [ipIn(from, `neigh del ${nextHop} dev ${oif}`)],
  };
}
