// buildTopology: the snapshot as a graph of boxes and wires (see topology.ts). Pure.
import { linkState } from '../snapshot/link-state.js';
import { matchWords } from '../snapshot/parse-rule.js';
import type { IptablesRule, Link, NamespaceState, Snapshot } from '../snapshot/snapshot.js';
import type { IfaceState, MapBox, MapBridge, MapInterface, MapRoute, MapWire, Topology } from './topology.js';


function addressesOf(ns: NamespaceState, dev: string): string[] {
  return ns.addresses
    .filter((a) => a.dev === dev && !(a.family === 'inet6' && a.scope === 'link'))
    .sort((x, y) => (x.family === y.family ? 0 : x.family === 'inet' ? -1 : 1))
    .map((a) => `${a.address}/${a.prefixlen}`);
}

function wireId(ns: string, link: Link): string {
  const here = `${ns}/${link.name}`;
  const there = `${link.peer?.namespace ?? '?'}/${link.peer?.name ?? `if${link.peer?.ifindex ?? '?'}`}`;
  return here < there ? `${here}~${there}` : `${there}~${here}`;
}

function toInterface(ns: NamespaceState, link: Link): MapInterface {
  const i: MapInterface = { name: link.name, type: link.type, state: linkState(link), addresses: addressesOf(ns, link.name) };
  if (link.peer) {
    i.peer = { ...(link.peer.namespace ? { namespace: link.peer.namespace } : {}), ...(link.peer.name ? { name: link.peer.name } : {}) };
    i.wire = wireId(ns.name, link);
  }
  return i;
}

export function describeRoute(r: { dst: string; gateway?: string; dev?: string; type: string }): string {
  const words = [r.type !== 'unicast' ? `${r.type} ${r.dst}` : r.dst];
  if (r.gateway) words.push(`via ${r.gateway}`);
  if (r.dev) words.push(`dev ${r.dev}`);
  return words.join(' ');
}

function routesOf(ns: NamespaceState): MapRoute[] {
  return ns.routes
    .filter((r) => r.protocol !== 'kernel')
    .map((r) => ({
      dst: r.dst,
      ...(r.gateway ? { via: r.gateway } : {}),
      ...(r.dev ? { dev: r.dev } : {}),
      type: r.type,
      text: describeRoute(r),
    }));
}

const NAT_KINDS = new Set(['masquerade', 'snat', 'dnat', 'redirect']);

/** A NAT rule in short: its target first, then what it matches (comments left out), then where it
 *  sends the packet. */
export function describeNatRule(rule: IptablesRule): string | undefined {
  const target = rule.target;
  if (!target || !NAT_KINDS.has(target.kind)) return undefined;
  const match = rule.matches.filter((m) => m.kind !== 'comment').flatMap(matchWords);
  const opts = target.options.filter((w) => w !== '--to-destination' && w !== '--to-source' && w !== '--to-ports');
  return [target.name, rule.chain, ...match, ...(opts.length ? ['->', ...opts] : [])].join(' ');
}

function natOf(ns: NamespaceState): string[] {
  return (ns.iptables?.tables.nat?.rules ?? []).map(describeNatRule).filter((t): t is string => t !== undefined);
}

function toBox(ns: NamespaceState): MapBox {
  const bridges: MapBridge[] = ns.links
    .filter((l) => l.type === 'bridge')
    .map((b) => ({
      ...toInterface(ns, b),
      ports: ns.links.filter((p) => p.master === b.name).map((p) => ({ ...toInterface(ns, p), ...(p.portState ? { portState: p.portState } : {}) })),
    }));
  const inBridge = new Set(bridges.flatMap((b) => [b.name, ...b.ports.map((p) => p.name)]));
  const box: MapBox = {
    namespace: ns.name,
    kind: ns.kind,
    interfaces: ns.links.filter((l) => !inBridge.has(l.name)).map((l) => toInterface(ns, l)),
    bridges,
    routes: routesOf(ns),
    forwarding: ns.sysctls['net.ipv4.ip_forward'] === '1',
    nat: natOf(ns),
  };
  if (ns.error) box.error = ns.error;
  return box;
}

function wiresOf(snapshot: Snapshot): MapWire[] {
  const wires = new Map<string, MapWire>();
  for (const ns of snapshot.namespaces) {
    for (const link of ns.links) {
      if (!link.peer) continue;
      const id = wireId(ns.name, link);
      const peerLink = snapshot.namespaces.find((n) => n.name === link.peer!.namespace)?.links.find((l) => l.name === link.peer!.name);
      const state: IfaceState = [link, peerLink].some((l) => l && linkState(l) === 'down') ? 'down' : linkState(link);
      const existing = wires.get(id);
      if (existing) continue;
      wires.set(id, {
        id,
        a: { namespace: ns.name, name: link.name },
        b: { ...(link.peer.namespace ? { namespace: link.peer.namespace } : {}), ...(link.peer.name ? { name: link.peer.name } : {}) },
        state,
      });
    }
  }
  return [...wires.values()];
}

export function buildTopology(snapshot: Snapshot): Topology {
  return { world: snapshot.world, boxes: snapshot.namespaces.map(toBox), wires: wiresOf(snapshot) };
}
