// Why a namespace has no route for a packet, said as the thing to fix: a device that is down
// (its routes went with it), an address without its prefix, no address at all, no default
// route (with the gateway it should use), or, on the way back, an SNAT to an address nobody
// routes, no NAT, or no route to the source.
import type { NamespaceState } from '../snapshot/snapshot.js';
import { ipIn, runIn } from './commands.js';
import { inCidr, isPrivate, networkOf } from './ipv4.js';
import { chainName, nftBaseChains } from './nft-chain.js';
import type { Packet } from './match-packet.js';
import type { Fault } from './types.js';
import { snatToNowhere } from './snat-target.js';
import type { Direction, Walk } from './walk-state.js';
import { findLink, ipv4Addresses, linkLine, routeLine } from './world.js';

function routesEvidence(ns: NamespaceState): Fault['evidence'] {
  const lines = ns.routes.map(routeLine);
  return [{ command: ipIn(ns, 'route'), line: lines.length ? lines.join(' | ') : '(no routes)' }];
}

/** Addresses on the other side of ns's links (peers, bridges they hang on), with their prefixes. */
function neighbourAddresses(w: Walk, ns: NamespaceState): Array<{ ns: NamespaceState; dev: string; address: string; prefixlen: number; via: string }> {
  const out: Array<{ ns: NamespaceState; dev: string; address: string; prefixlen: number; via: string }> = [];
  for (const link of ns.links) {
    const peerNs = link.peer?.namespace ? w.snapshot.namespaces.find((n) => n.name === link.peer!.namespace) : undefined;
    const peer = peerNs && link.peer?.name ? findLink(peerNs, link.peer.name) : undefined;
    if (!peerNs || !peer) continue;
    const devs = [peer.name, ...(peer.master ? [peer.master] : [])];
    const via = link.master ?? link.name;
    if (peer.master) {
      // the other ports' far ends are on the same link too
      for (const port of peerNs.links.filter((l) => l.master === peer.master && l.name !== peer.name)) {
        const farNs = port.peer?.namespace ? w.snapshot.namespaces.find((n) => n.name === port.peer!.namespace) : undefined;
        if (farNs && port.peer?.name) for (const a of ipv4Addresses(farNs, port.peer.name)) out.push({ ns: farNs, dev: a.dev, address: a.address, prefixlen: a.prefixlen, via });
      }
    }
    for (const d of devs) for (const a of ipv4Addresses(peerNs, d)) out.push({ ns: peerNs, dev: d, address: a.address, prefixlen: a.prefixlen, via });
  }
  return out;
}

/** The address to use as a gateway from ns: a neighbour in one of ns's subnets, preferring one
 *  whose namespace forwards and can reach `dst`. */
export function guessGateway(w: Walk, ns: NamespaceState, dst: string): string | undefined {
  const own = ipv4Addresses(ns).filter((a) => a.scope === 'global' && a.prefixlen < 32);
  const cands = neighbourAddresses(w, ns).filter((n) => own.some((o) => inCidr(n.address, `${o.address}/${o.prefixlen}`)));
  // a neighbour that has dst's subnet itself (a node with the podCIDR) beats one that would only
  // pass it on by its own default route
  const score = (c: (typeof cands)[number]) =>
    (c.ns.routes.some((r) => r.dst !== 'default' && inCidr(dst, r.dst)) || ipv4Addresses(c.ns).some((a) => a.address === dst) ? 4 : 0) +
    (c.ns.sysctls['net.ipv4.ip_forward'] === '1' ? 2 : 0) +
    (c.ns.routes.some((r) => r.dst === 'default' || inCidr(dst, r.dst)) ? 1 : 0);
  cands.sort((a, b) => score(b) - score(a));
  return cands[0]?.address;
}

/** With its /32 the namespace lost the default route via its subnet's router too (the kernel
 *  refuses a gateway it has no route to): put it back, when dst is beyond that subnet. */
function defaultRouteBack(w: Walk, ns: NamespaceState, address: string, prefixlen: number, dst: string): string[] {
  const net = networkOf(address, prefixlen);
  if (inCidr(dst, net) || ns.routes.some((r) => r.dst === 'default')) return [];
  const router = neighbourAddresses(w, ns).find((n) => inCidr(n.address, net) && n.address !== address && n.ns.sysctls['net.ipv4.ip_forward'] === '1');
  return router ? [ipIn(ns, `route add default via ${router.address}`)] : [];
}

export function explainNoRoute(w: Walk, ns: NamespaceState, p: Packet, dir: Direction, previousRouter?: { ns: NamespaceState; iif: string; address?: string }): Fault {
  const evidence = routesEvidence(ns);
  // 1. a device that is down took its routes with it
  const down = ns.links.find((l) => !l.adminUp && l.type !== 'loopback' && ipv4Addresses(ns, l.name).length > 0);
  if (down) {
    return {
      kind: 'link-down',
      namespace: ns.name,
      what: `${down.name} in ${ns.name} is down, so the routes through it are gone and ${ns.name} has no route to ${p.dst}.`,
      evidence: [{ command: ipIn(ns, `-br link show ${down.name}`), line: linkLine(down) }, ...evidence],
      fix: [ipIn(ns, `link set ${down.name} up`)],
    };
  }
  // 2. an address without its prefix has no connected route
  for (const a of ipv4Addresses(ns).filter((x) => x.prefixlen === 32 && x.scope === 'global')) {
    const link = findLink(ns, a.dev);
    if (!link || link.type === 'loopback') continue;
    const intended = neighbourAddresses(w, ns).find((n) => n.prefixlen < 32 && inCidr(a.address, `${n.address}/${n.prefixlen}`));
    const prefixlen = intended?.prefixlen ?? 24;
    return {
      kind: 'address-prefix',
      namespace: ns.name,
      what: `${a.address} on ${ns.name}'s ${a.dev} has no prefix length (/32), so ${ns.name} has no route to its neighbours${intended ? ` in ${networkOf(a.address, prefixlen)}` : ''} nor via a gateway there.`,
      evidence: [{ command: ipIn(ns, `-br addr show ${a.dev}`), line: `${a.dev} ${link.operState} ${a.address}/32` }, ...evidence],
      fix: [ipIn(ns, `addr del ${a.address}/32 dev ${a.dev}`), ipIn(ns, `addr add ${a.address}/${prefixlen} dev ${a.dev}`), ...defaultRouteBack(w, ns, a.address, prefixlen, p.dst)],
    };
  }
  const own = ipv4Addresses(ns).filter((a) => a.scope === 'global');
  if (dir === 'there' && own.length === 0 && ns.name === w.source.name) {
    return {
      kind: 'no-address',
      namespace: ns.name,
      what: `${ns.name} has no IPv4 address outside lo, so it cannot send to ${p.dst}.`,
      evidence: [{ command: ipIn(ns, '-br addr'), line: ns.addresses.map((a) => `${a.dev} ${a.address}/${a.prefixlen}`).join(' | ') || '(none)' }],
      fix: [`# give ${ns.name} an address on its link, e.g. ${ipIn(ns, 'addr add ADDRESS/24 dev DEVICE')}`],
    };
  }
  // 3. on the way back: an SNAT to an address nobody routes; or the destination cannot answer a
  // source it has no route to
  const snat = dir === 'back' ? snatToNowhere(w, p.dst, { noRoute: ns }, evidence) : undefined;
  if (snat) return snat;
  if (dir === 'back' && previousRouter) {
    const src = w.original.src;
    const srcAddr = ipv4Addresses(w.source).find((a) => a.address === src);
    const srcNet = srcAddr ? networkOf(src, srcAddr.prefixlen) : `${src}/32`;
    const conntrack = (previousRouter.ns.conntrack ?? []).find((e) => e.original.src === src && e.reply.dst === src);
    const ctEvidence = conntrack ? [{ command: runIn(previousRouter.ns, 'conntrack -L'), line: conntrack.text }] : [];
    if (ns.kind === 'upstream' || (isPrivate(p.dst) && !ns.routes.some((r) => r.dst !== 'default' && isPrivate(r.dst.split('/')[0]!)))) {
      return {
        kind: 'masquerade-missing',
        namespace: previousRouter.ns.name,
        what: `${previousRouter.ns.name} forwards ${src} to ${ns.name} without NAT, and ${ns.name} has no route back to the private address ${p.dst}: a MASQUERADE rule for ${srcNet} is missing.`,
        evidence: [...ctEvidence, natEvidence(previousRouter.ns), ...evidence],
        fix: [runIn(previousRouter.ns, `iptables -t nat -A POSTROUTING -s ${srcNet} ! -o ${previousRouter.iif} -j MASQUERADE`)],
      };
    }
    const via = previousRouter.address;
    const hasDefault = ns.routes.some((r) => r.dst === 'default');
    const gw = hasDefault ? via : (guessGateway(w, ns, p.dst) ?? via);
    return {
      kind: 'no-route-back',
      namespace: ns.name,
      what: `${ns.name} has no route back to ${p.dst} (nor to its subnet ${srcNet}${hasDefault ? '' : ', and no default route'}), so its replies never leave.`,
      evidence,
      fix: [gw ? ipIn(ns, `route add ${hasDefault ? srcNet : 'default'} via ${gw}`) : `# add a route in ${ns.name} to ${srcNet}`],
    };
  }
  const mismatch = subnetMismatch(w, ns, p.dst);
  if (mismatch) return mismatch;
  // 4. no default route
  const gw = guessGateway(w, ns, p.dst);
  const hasDefault = ns.routes.some((r) => r.dst === 'default');
  return {
    kind: hasDefault ? 'no-route' : 'no-default-route',
    namespace: ns.name,
    what: `${ns.name} has no route to ${p.dst}${hasDefault ? '' : ' (no default route, and it is not on a directly connected subnet)'}.`,
    evidence,
    fix: [gw ? ipIn(ns, `route add ${hasDefault ? networkOf(p.dst, 24) : 'default'} via ${gw}`) : `# add a route in ${ns.name} to ${p.dst}`],
  };
}

function natEvidence(ns: NamespaceState): Fault['evidence'][number] {
  // native nft postrouting nat rules count too: one is there, but not for this packet
  const chains = nftBaseChains(ns, 'postrouting', ['nat']);
  const nft = chains.flatMap((c) => (ns.nftables?.rules ?? []).filter((r) => r.family === c.family && r.table === c.table && r.chain === c.name).map((r) => `${r.text} (nft ${chainName(c)})`));
  const rules = [...(ns.iptables?.tables.nat?.rules ?? []).filter((r) => r.chain === 'POSTROUTING').map((r) => r.text), ...nft];
  const command = chains.length ? `${runIn(ns, 'iptables -t nat -S POSTROUTING')}; ${runIn(ns, 'nft list ruleset')}` : runIn(ns, 'iptables -t nat -S POSTROUTING');
  return { command, line: rules.length ? rules.join(' | ') : '-P POSTROUTING ACCEPT (no rules)' };
}

/** A namespace on ns's links that can take packets for dst (it owns it, or has a specific
 *  route for it): the router ns should use instead of its default route. */
export function findRouterFor(w: Walk, ns: NamespaceState, dst: string): { address: string; network: string } | undefined {
  for (const n of neighbourAddresses(w, ns)) {
    if (n.ns.name === ns.name || n.ns.kind === 'upstream') continue;
    const own = ipv4Addresses(n.ns).find((a) => a.address === dst);
    if (own) return { address: n.address, network: `${dst}/32` };
    const route = n.ns.routes.find((r) => r.dst !== 'default' && inCidr(dst, r.dst));
    if (route) return { address: n.address, network: route.dst };
  }
  return undefined;
}

/** ns sends a private address to the internet by its default route: it lacks a specific route. */
export function leakToUpstreamFault(w: Walk, ns: NamespaceState, p: Packet, dev: string): Fault {
  const mismatch = subnetMismatch(w, ns, p.dst);
  if (mismatch) return mismatch;
  const router = findRouterFor(w, ns, p.dst);
  return {
    kind: 'no-route',
    namespace: ns.name,
    what: `${ns.name} has no route to ${p.dst} (a private address), so its default route sends it out ${dev} to the internet, which drops it.`,
    evidence: [{ command: ipIn(ns, `route get ${p.dst}`), line: ns.routes.filter((r) => r.dst === 'default').map(routeLine).join(' | ') }],
    fix: [router ? ipIn(ns, `route add ${router.network} via ${router.address}`) : `# add a route in ${ns.name} to ${p.dst}`],
  };
}

/** dst is on one of ns's links, but in a subnet ns has no address in: one side's address (or
 *  prefix) is wrong, so neither can route to the other. */
export function subnetMismatch(w: Walk, ns: NamespaceState, dst: string): Fault | undefined {
  const there = neighbourAddresses(w, ns).find((n) => n.address === dst);
  if (!there) return undefined;
  const own = ipv4Addresses(ns).filter((a) => a.scope === 'global' && a.prefixlen < 32);
  if (own.some((a) => inCidr(dst, `${a.address}/${a.prefixlen}`))) return undefined;
  const mine = ipv4Addresses(ns, there.via).find((a) => a.scope === 'global' && a.prefixlen < 32);
  const subnet = mine ? networkOf(mine.address, mine.prefixlen) : undefined;
  return {
    kind: 'subnet-mismatch',
    namespace: there.ns.name,
    what: `${dst}/${there.prefixlen} on ${there.ns.name}'s ${there.dev} shares a link with ${ns.name}${mine ? ` (${mine.address}/${mine.prefixlen} on ${mine.dev})` : ''} but is in another subnet, so neither has a route to the other.`,
    evidence: [
      { command: ipIn(there.ns, `-br addr show ${there.dev}`), line: `${there.dev} ${findLink(there.ns, there.dev)?.operState ?? '?'} ${dst}/${there.prefixlen}` },
      ...(mine ? [{ command: ipIn(ns, `-br addr show ${mine.dev}`), line: `${mine.dev} ${findLink(ns, mine.dev)?.operState ?? '?'} ${mine.address}/${mine.prefixlen}` }] : []),
    ],
    fix: [
      subnet
        ? `# give ${there.ns.name}'s ${there.dev} an address in ${subnet}, the subnet of this link (${ipIn(there.ns, `addr del ${dst}/${there.prefixlen} dev ${there.dev}`)}, then addr add one), or give ${ns.name}'s ${there.via} an address in ${networkOf(dst, there.prefixlen)} too`
        : `# put both ends of the link in one subnet`,
    ],
  };
}
