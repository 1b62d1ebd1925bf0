// Checks over a namespace's links, addresses and routes, judged from the snapshot alone.
import type { Check } from '../lesson/types.js';
import type { Link, NamespaceState, Route } from '../snapshot.js';
import { normaliseCidr } from './net-text.js';
import { fail, holdsWhen, pass, type Outcome } from './outcome.js';

type CheckOf<K extends Check['kind']> = Extract<Check, { kind: K }>;

/** Up as a learner means it: administratively up and able to pass packets (lo/dummy say UNKNOWN). */
export function isLinkUp(link: Link): boolean {
  return link.adminUp && link.operState !== 'DOWN' && link.operState !== 'LOWERLAYERDOWN' && link.operState !== 'NOTPRESENT';
}

export function describeLink(ns: string, link: Link): string {
  const parts = [`${ns}: ${link.name}`, link.type, `state ${link.operState}`];
  if (!link.adminUp) parts.push('(admin down)');
  if (link.master) parts.push(`master ${link.master}`);
  if (link.peer) parts.push(`peer ${link.peer.name ?? `#${link.peer.ifindex}`}${link.peer.namespace ? ` in ${link.peer.namespace}` : ''}`);
  return parts.join(' ');
}

export function evaluateLink(check: CheckOf<'link'>, ns: NamespaceState): Outcome {
  const link = ns.links.find((l) => l.name === check.link);
  if (!link) {
    const names = ns.links.map((l) => l.name).join(', ');
    return holdsWhen(!check.exists, `${ns.name}: no link ${check.link} (links: ${names || 'none'})`);
  }
  const evidence = describeLink(ns.name, link);
  if (!check.exists) return fail(evidence);
  const holds =
    (check.type === undefined || link.type === check.type) &&
    (check.up === undefined || isLinkUp(link) === check.up) &&
    (check.master === undefined || (link.master ?? null) === check.master) &&
    (check.peer === undefined || link.peer?.name === check.peer) &&
    (check.peerIn === undefined || (link.peer?.namespace ?? ns.name) === check.peerIn);
  return holdsWhen(holds, evidence);
}

export function evaluateAddress(check: CheckOf<'address'>, ns: NamespaceState): Outcome {
  const [want, prefix] = check.address.toLowerCase().split('/');
  const candidates = ns.addresses.filter((a) => check.dev === undefined || a.dev === check.dev);
  const found = candidates.find((a) => a.address.toLowerCase() === want && String(a.prefixlen) === prefix);
  if (found) return holdsWhen(check.exists, `${ns.name}: ${found.dev} ${found.address}/${found.prefixlen}`);
  // the same address with another prefix is the classic mistake: show it
  const sameAddress = ns.addresses.find((a) => a.address.toLowerCase() === want);
  if (sameAddress) return holdsWhen(!check.exists, `${ns.name}: ${sameAddress.dev} ${sameAddress.address}/${sameAddress.prefixlen}`);
  const where = check.dev ?? 'any link';
  const list = candidates.filter((a) => a.family === 'inet').map((a) => `${a.address}/${a.prefixlen}${check.dev ? '' : ` on ${a.dev}`}`);
  return holdsWhen(!check.exists, `${ns.name}: ${where} has ${list.length ? list.join(', ') : 'no IPv4 address'}`);
}

export function describeRoute(ns: string, r: Route): string {
  return `${ns}: ${[r.type !== 'unicast' ? r.type : '', r.dst, r.gateway ? `via ${r.gateway}` : '', r.dev ? `dev ${r.dev}` : '']
    .filter(Boolean)
    .join(' ')}`;
}

export function evaluateRoute(check: CheckOf<'route'>, ns: NamespaceState): Outcome {
  const dst = normaliseCidr(check.route);
  const toDst = ns.routes.filter((r) => normaliseCidr(r.dst) === dst || (dst === '0.0.0.0/0' && r.dst === 'default'));
  const found = toDst.find(
    (r) => r.type === 'unicast' && (check.via === undefined || r.gateway === check.via) && (check.dev === undefined || r.dev === check.dev),
  );
  if (found) return holdsWhen(check.exists, describeRoute(ns.name, found));
  const near = toDst[0];
  if (near) return holdsWhen(!check.exists, describeRoute(ns.name, near));
  const table = ns.routes.filter((r) => r.type === 'unicast').map((r) => [r.dst, r.gateway ? `via ${r.gateway}` : '', r.dev ? `dev ${r.dev}` : ''].filter(Boolean).join(' '));
  return holdsWhen(!check.exists, `${ns.name}: no route to ${check.route} (routes: ${table.length ? table.join('; ') : 'none'})`);
}

export function evaluateListening(check: CheckOf<'listening'>, ns: NamespaceState): Outcome {
  const onPort = ns.listening.filter((l) => l.port === check.port);
  const wildcard = (a: string) => a === '0.0.0.0' || a === '::' || a === '*' || a === '[::]';
  const found = onPort.find((l) => check.address === undefined || l.address === check.address || wildcard(l.address));
  if (found) return pass(`${ns.name}: listening on ${found.address}:${found.port}`);
  const all = ns.listening.map((l) => `${l.address}:${l.port}`);
  return fail(`${ns.name}: nothing listens on TCP ${check.address ?? '*'}:${check.port} (listening: ${all.length ? all.join(', ') : 'none'})`);
}
