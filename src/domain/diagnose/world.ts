// Reading the snapshot the way the kernel would for one packet: which namespace owns an address,
// which route a namespace picks, what a link's state line looks like. Pure.
import type { Address, Link, NamespaceState, Route, Snapshot } from '../snapshot/snapshot.js';
import { inCidr, parseCidr } from './ipv4.js';

export function findNamespace(snapshot: Snapshot, name: string): NamespaceState | undefined {
  return snapshot.namespaces.find((n) => n.name === name);
}

export function findLink(ns: NamespaceState, name: string): Link | undefined {
  return ns.links.find((l) => l.name === name);
}

/** One end of a link: the device and the namespace it is in. */
export interface End {
  ns: NamespaceState;
  link: Link;
}

/** The far end of a veth, or undefined when it is outside what could be read. */
export function peerOf(snapshot: Snapshot, end: End): End | undefined {
  const p = end.link.peer;
  if (!p?.namespace || !p.name) return undefined;
  const ns = findNamespace(snapshot, p.namespace);
  const link = ns && findLink(ns, p.name);
  return ns && link ? { ns, link } : undefined;
}

export function ipv4Addresses(ns: NamespaceState, dev?: string): Address[] {
  return ns.addresses.filter((a) => a.family === 'inet' && (dev === undefined || a.dev === dev));
}

/** Local addresses answer only while their device is up (lo: while lo is up). */
export function localAddress(ns: NamespaceState, address: string): Address | undefined {
  return ipv4Addresses(ns).find((a) => a.address === address);
}

export function isLocal(ns: NamespaceState, address: string): boolean {
  // 127.0.0.0/8 is local wherever lo has its address
  return localAddress(ns, address) !== undefined || (inCidr(address, '127.0.0.0/8') && localAddress(ns, '127.0.0.1') !== undefined);
}

/** A socket listening on address:port, or on every address. */
export function listens(ns: NamespaceState, address: string, port: number): boolean {
  return ns.listening.some((l) => l.port === port && (l.address === address || l.address === '0.0.0.0' || l.address === '::'));
}

export function isUp(link: Link): boolean {
  return link.adminUp;
}


export interface RouteChoice {
  route: Route;
  /** The next hop on the link: the gateway, or the destination itself. */
  nextHop: string;
  dev: string;
}

export type RouteLookup = RouteChoice | { route: Route; dev?: undefined; nextHop?: undefined };

/** Longest prefix match over the main table (unicast and the reject types), lowest metric first. */
export function lookupRoute(ns: NamespaceState, dst: string): RouteLookup | undefined {
  return lookupInTable(ns, ns.routes, dst);
}

/** Longest prefix match over one table's routes, lowest metric first. */
export function lookupInTable(ns: NamespaceState, routes: readonly Route[], dst: string): RouteLookup | undefined {
  let best: Route | undefined;
  let bestPrefix = -1;
  for (const r of routes) {
    const c = parseCidr(r.dst);
    if (!c || !inCidr(dst, r.dst)) continue;
    // a route through a device that is administratively down is gone from the kernel's table
    const dev = r.dev ? findLink(ns, r.dev) : undefined;
    if (dev && !dev.adminUp) continue;
    if (c.prefix > bestPrefix || (c.prefix === bestPrefix && (r.metric ?? 0) < (best?.metric ?? 0))) {
      best = r;
      bestPrefix = c.prefix;
    }
  }
  if (!best) return undefined;
  if (best.type !== 'unicast' || !best.dev) return { route: best };
  return { route: best, nextHop: best.gateway ?? dst, dev: best.dev };
}

/** The source address the kernel would pick for leaving by `dev` (prefsrc, else the device's
 *  address in the next hop's subnet, else its first one, else any address of the namespace). */
export function sourceAddress(ns: NamespaceState, choice: RouteChoice): string | undefined {
  if (choice.route.prefsrc) return choice.route.prefsrc;
  const onDev = ipv4Addresses(ns, choice.dev).filter((a) => a.scope !== 'host');
  const inSubnet = onDev.find((a) => inCidr(choice.nextHop, `${a.address}/${a.prefixlen}`));
  return (inSubnet ?? onDev[0] ?? ipv4Addresses(ns).find((a) => a.scope === 'global'))?.address;
}

// --- state lines, printed the way ip/sysctl/iptables print them, for evidence ---

export function linkLine(link: Link): string {
  const name = link.peer ? `${link.name}@if${link.peer.ifindex}` : link.name;
  const master = link.master ? ` master ${link.master}` : '';
  return `${name} ${link.operState} <${link.flags.join(',')}>${master}`;
}

export function routeLine(r: Route): string {
  const dst = r.dst.endsWith('/32') ? r.dst.slice(0, -3) : r.dst;
  const words = [r.type !== 'unicast' ? `${r.type} ${dst}` : dst];
  if (r.gateway) words.push(`via ${r.gateway}`);
  if (r.dev) words.push(`dev ${r.dev}`);
  if (r.protocol && r.protocol !== 'boot') words.push(`proto ${r.protocol}`);
  if (r.scope && r.scope !== 'global') words.push(`scope ${r.scope}`);
  if (r.prefsrc) words.push(`src ${r.prefsrc}`);
  if (r.metric !== undefined) words.push(`metric ${r.metric}`);
  return words.join(' ');
}

export function addressLine(ns: NamespaceState, dev: string): string {
  const link = findLink(ns, dev);
  const addrs = ns.addresses.filter((a) => a.dev === dev).map((a) => `${a.address}/${a.prefixlen}`);
  return `${dev} ${link?.operState ?? '?'} ${addrs.join(' ')}`.trimEnd();
}
