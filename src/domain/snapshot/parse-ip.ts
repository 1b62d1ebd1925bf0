// Parses the `ip -j -d -b -` batch (link, addr, route, neigh, netns list-id, rule, route table all)
// of one namespace into snapshot shapes. Pure. Veth peers are left as ifindex + netnsid here; resolve-peers.ts names them.
import type { Address, Link, Neighbour, OperState, Route, RoutingRule } from './snapshot.js';
import { parseRule } from './parse-rules.js';

/** A link as parsed, with what peer resolution needs and the snapshot does not keep. */
export interface ParsedLink extends Link {
  /** The peer's netnsid as seen from this namespace (absent: same namespace). */
  peerNetnsid?: number;
}

export interface ParsedIp {
  links: ParsedLink[];
  addresses: Address[];
  routes: Route[];
  neighbours: Neighbour[];
  /** netnsid -> namespace name, for the ids `ip netns list-id` could name. */
  nsidNames: Record<number, string>;
  /** Policy routing: undefined where the batch did not read it (older recordings). */
  rules?: RoutingRule[];
  tableRoutes?: Route[];
}

type Json = Record<string, unknown>;

const OPER_STATES = new Set(['UP', 'DOWN', 'UNKNOWN', 'LOWERLAYERDOWN', 'DORMANT', 'NOTPRESENT', 'TESTING']);

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}
function obj(v: unknown): Json | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

/** Both ends of a veth in one namespace: ip prints the peer's name (`"link": "veth-bear"`) and no
 *  link_index, so the peer's ifindex comes from its name. */
function namePeersInSameNamespace(entries: Json[]): ParsedLink[] {
  const links = entries.map(parseLink);
  entries.forEach((j, i) => {
    const link = links[i]!;
    const peerName = str(j.link);
    if (link.type !== 'veth' || link.peer || link.peerNetnsid !== undefined || !peerName) return;
    const peer = links.find((l) => l.name === peerName);
    if (peer) link.peer = { ifindex: peer.ifindex };
  });
  return links;
}

export function parseLink(j: Json): ParsedLink {
  const flags = Array.isArray(j.flags) ? j.flags.map(String) : [];
  const info = obj(j.linkinfo);
  const kind = str(info?.info_kind) ?? (j.link_type === 'loopback' ? 'loopback' : 'device');
  const oper = str(j.operstate) ?? 'UNKNOWN';
  const link: ParsedLink = {
    name: str(j.ifname) ?? '?',
    ifindex: num(j.ifindex) ?? 0,
    type: kind,
    adminUp: flags.includes('UP'),
    operState: (OPER_STATES.has(oper) ? oper : 'UNKNOWN') as OperState,
    lowerUp: flags.includes('LOWER_UP'),
    flags,
    mtu: num(j.mtu) ?? 0,
  };
  const mac = str(j.address);
  if (mac && j.link_type !== 'loopback') link.mac = mac;
  const master = str(j.master);
  if (master) link.master = master;
  if (kind === 'veth') {
    const peerIndex = num(j.link_index);
    if (peerIndex !== undefined) link.peer = { ifindex: peerIndex };
    const nsid = num(j.link_netnsid);
    if (nsid !== undefined) link.peerNetnsid = nsid;
  }
  const slave = obj(info?.info_slave_data);
  if (info?.info_slave_kind === 'bridge' && slave) {
    const state = str(slave.state);
    if (state) link.portState = state;
    if (typeof slave.hairpin === 'boolean') link.hairpin = slave.hairpin;
  }
  return link;
}

export function parseAddresses(entries: Json[]): Address[] {
  const out: Address[] = [];
  for (const e of entries) {
    const dev = str(e.ifname) ?? '?';
    for (const a of Array.isArray(e.addr_info) ? (e.addr_info as Json[]) : []) {
      const family = a.family === 'inet6' ? 'inet6' : a.family === 'inet' ? 'inet' : undefined;
      const address = str(a.local);
      if (!family || !address) continue;
      out.push({ dev, family, address, prefixlen: num(a.prefixlen) ?? (family === 'inet' ? 32 : 128), scope: str(a.scope) ?? 'global' });
    }
  }
  return out;
}

export function parseRoute(j: Json): Route {
  const route: Route = { dst: str(j.dst) ?? 'default', type: str(j.type) ?? 'unicast' };
  // multipath: the first nexthop stands for the route (enough for the map and a walk's first guess)
  const hop = Array.isArray(j.nexthops) ? obj(j.nexthops[0]) : undefined;
  const gateway = str(j.gateway) ?? str(hop?.gateway);
  const dev = str(j.dev) ?? str(hop?.dev);
  if (gateway) route.gateway = gateway;
  if (dev) route.dev = dev;
  for (const key of ['protocol', 'scope', 'prefsrc'] as const) {
    const v = str(j[key]);
    if (v) route[key] = v;
  }
  const metric = num(j.metric);
  if (metric !== undefined) route.metric = metric;
  // host routes print without a prefix length
  if (route.dst !== 'default' && !route.dst.includes('/')) route.dst += route.dst.includes(':') ? '/128' : '/32';
  return route;
}

export function parseNeighbour(j: Json): Neighbour {
  const n: Neighbour = { address: str(j.dst) ?? '?', dev: str(j.dev) ?? '?', state: Array.isArray(j.state) ? j.state.map(String) : [] };
  const lladdr = str(j.lladdr);
  if (lladdr) n.lladdr = lladdr;
  return n;
}

/** The IPv4 routes of `route show table all` outside the main and local tables. */
function parseTableRoutes(entries: Json[]): Route[] {
  const out: Route[] = [];
  for (const j of entries) {
    const table = str(j.table) ?? 'main';
    if (table === 'main' || table === 'local' || (str(j.dst) ?? '').includes(':')) continue;
    out.push({ ...parseRoute(j), table });
  }
  return out;
}

type Kind = 'link' | 'addr' | 'route' | 'neigh' | 'nsid' | 'rule' | 'routeAll';
const ORDER: Kind[] = ['link', 'addr', 'route', 'neigh', 'nsid', 'rule', 'routeAll'];
/** The batch before it read policy routing (older recordings). */
const OLD_ORDER = ORDER.slice(0, 5);

function classify(entries: Json[]): Kind | undefined {
  const e = entries[0];
  if (!e) return undefined;
  if ('addr_info' in e) return 'addr';
  if ('ifname' in e) return 'link';
  if ('nsid' in e) return 'nsid';
  if ('priority' in e && 'src' in e) return 'rule';
  if ('lladdr' in e || ('state' in e && !('type' in e))) return 'neigh';
  // `route show table all` names each route's table; the main table's own list does not
  if ('dst' in e) return entries.some((x) => 'table' in x) ? 'routeAll' : 'route';
  return undefined;
}

/** The batch prints one JSON array per command, in order; when one failed (-force goes on),
 *  the arrays are recognised by their shape instead. */
export function parseIpBatch(text: string): ParsedIp {
  const arrays: Json[][] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('[')) continue;
    try {
      const v: unknown = JSON.parse(t);
      if (Array.isArray(v)) arrays.push(v.filter((x): x is Json => !!obj(x)));
    } catch {
      // a truncated line: skip it, the rest still counts
    }
  }
  const byKind: Partial<Record<Kind, Json[]>> = {};
  arrays.forEach((a, i) => {
    const order = arrays.length === ORDER.length ? ORDER : arrays.length === OLD_ORDER.length ? OLD_ORDER : undefined;
    const kind = order ? order[i] : classify(a);
    if (kind) byKind[kind] = a;
  });
  const nsidNames: Record<number, string> = {};
  for (const e of byKind.nsid ?? []) {
    const id = num(e.nsid);
    const name = str(e.name);
    if (id !== undefined && name) nsidNames[id] = name;
  }
  return {
    links: namePeersInSameNamespace(byKind.link ?? []),
    addresses: parseAddresses(byKind.addr ?? []),
    routes: (byKind.route ?? []).map(parseRoute),
    neighbours: (byKind.neigh ?? []).map(parseNeighbour),
    nsidNames,
    ...(byKind.rule ? { rules: byKind.rule.map(parseRule).sort((a, b) => a.priority - b.priority) } : {}),
    ...(byKind.routeAll ? { tableRoutes: parseTableRoutes(byKind.routeAll) } : {}),
  };
}
