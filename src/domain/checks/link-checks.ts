// Checks over a namespace's links, addresses and routes, judged from the snapshot alone.
import { hasCarrier } from '../snapshot/link-state.js';
import type { Check } from '../lesson/types.js';
import type { Link, NamespaceState, Route, Snapshot } from '../snapshot/snapshot.js';
import { normaliseCidr } from './net-text.js';
import { fail, failSaying, holdsWhen, pass, type Outcome } from './outcome.js';

type CheckOf<K extends Check['kind']> = Extract<Check, { kind: K }>;

/** Up as a learner means it: administratively up and able to pass packets (lo/dummy say UNKNOWN). */

export function describeLink(ns: string, link: Link): string {
  const parts = [`${ns}: ${link.name}`, link.type, `state ${link.operState}`];
  if (!link.adminUp) parts.push('(admin down)');
  if (link.master) parts.push(`master ${link.master}`);
  if (link.peer) parts.push(`peer ${link.peer.name ?? `#${link.peer.ifindex}`}${link.peer.namespace ? ` in ${link.peer.namespace}` : ''}`);
  return parts.join(' ');
}

function linkList(ns: NamespaceState): string {
  return ns.links.map((l) => l.name).join(', ') || 'none';
}

function whereIs(ns: NamespaceState): string {
  return ns.kind === 'host' ? 'in the host' : `in ${ns.name}`;
}

const CARRIER_RULES: Record<string, string> = {
  veth: 'a veth passes packets only when both of its ends are up',
  bridge: 'a bridge has a carrier once one of its ports has',
};

/** Why a link that is switched on has no carrier, from what the snapshot knows of its other side. */
export function explainNoCarrier(link: Link, ns: NamespaceState, snapshot: Snapshot): string {
  if (link.type === 'veth') {
    // a veth has a carrier exactly when its peer is up: no carrier means the peer is down
    const peerNs = link.peer?.namespace ?? (link.peer?.name !== undefined ? ns.name : undefined);
    const peerName = link.peer?.name ?? (link.peer ? `link #${link.peer.ifindex}` : 'its other end');
    const label = peerNs !== undefined ? `${peerName} (${peerNs})` : `${peerName} (in another namespace)`;
    return `its peer ${label} is down`;
  }
  if (link.type === 'bridge') {
    const ports = ns.links.filter((l) => l.master === link.name);
    if (ports.length === 0) return 'it has no ports';
    const states = ports.map((p) => `${p.name} ${!p.adminUp ? 'down' : hasCarrier(p) ? 'up' : 'without carrier'}`);
    return `none of its ports passes packets (${states.join(', ')})`;
  }
  return `the kernel reports state ${link.operState}`;
}

export function evaluateLink(check: CheckOf<'link'>, ns: NamespaceState, snapshot: Snapshot): Outcome {
  const link = ns.links.find((l) => l.name === check.link);
  if (!link) {
    const evidence = `${ns.name}: there is no link ${check.link} (links: ${linkList(ns)})`;
    if (!check.exists) return pass(evidence);
    // A check about the link's properties (up, master, peer) has a sentence that assumes the link
    // is there ("lab0 is switched off"): say what is true instead, and where the link is if it
    // lives in another namespace (moved too early, or never moved).
    const aboutProperties = check.up !== undefined || check.master !== undefined || check.peer !== undefined || check.peerIn !== undefined;
    if (!aboutProperties) return fail(evidence);
    const elsewhere = snapshot.namespaces.filter((n) => n !== ns && n.links.some((l) => l.name === check.link)).map((n) => n.name);
    const hint = elsewhere.length ? ` (there is one in ${elsewhere.join(', ')})` : '';
    return failSaying(`There is no link ${check.link} ${whereIs(ns)}${hint}.`, evidence);
  }
  const described = describeLink(ns.name, link);
  if (!check.exists) return fail(described);
  const typeOk = check.type === undefined || link.type === check.type;
  const upOk = check.up === undefined || hasCarrier(link) === check.up;
  const masterOk = check.master === undefined || (link.master ?? null) === check.master;
  const peerOk = (check.peer === undefined || link.peer?.name === check.peer) && (check.peerIn === undefined || (link.peer?.namespace ?? ns.name) === check.peerIn);
  if (typeOk && upOk && masterOk && peerOk) return pass(described);
  // Switched on but without a carrier: "it is down" would be false. `up: true` still requires the
  // carrier (a cable works only with both ends up), so the check fails, saying why.
  const noCarrier = check.up === true && link.adminUp && !upOk;
  if (!noCarrier) return fail(described);
  const why = `${check.link} is up but has no carrier: ${explainNoCarrier(link, ns, snapshot)}`;
  if (!typeOk || !masterOk || !peerOk) return fail(`${described}; ${why}`);
  const rule = CARRIER_RULES[link.type];
  return failSaying(`${check.link} ${whereIs(ns)} is switched on, but ${explainNoCarrier(link, ns, snapshot)}${rule ? `: ${rule}` : ''}.`, `${ns.name}: ${why}`);
}

export function evaluateAddress(check: CheckOf<'address'>, ns: NamespaceState): Outcome {
  const [want, prefix] = check.address.toLowerCase().split('/');
  const candidates = ns.addresses.filter((a) => check.dev === undefined || a.dev === check.dev);
  const found = candidates.find((a) => a.address.toLowerCase() === want && String(a.prefixlen) === prefix);
  if (found) {
    // the address asked for, plus a leftover copy of it (the /32 an address without its prefix
    // became, or the same address on another link): not the state the step means
    const copies = ns.addresses.filter((a) => a !== found && a.address.toLowerCase() === want).map((a) => `${a.address}/${a.prefixlen} on ${a.dev}`);
    const evidence = `${ns.name}: ${found.dev} ${found.address}/${found.prefixlen}`;
    if (!check.exists || copies.length === 0) return holdsWhen(check.exists, evidence);
    return failSaying(
      `${found.dev} ${whereIs(ns)} has ${check.address}, and also a leftover ${copies.join(', ')}: delete the extra copy (\`ip addr del\` with its own prefix).`,
      `${evidence}, and also ${copies.join(', ')}`,
    );
  }
  // the same address with another prefix is the classic mistake: show it
  const sameAddress = ns.addresses.find((a) => a.address.toLowerCase() === want);
  if (sameAddress) return holdsWhen(!check.exists, `${ns.name}: ${sameAddress.dev} ${sameAddress.address}/${sameAddress.prefixlen}`);
  if (check.dev !== undefined && !ns.links.some((l) => l.name === check.dev)) {
    return holdsWhen(!check.exists, `${ns.name}: there is no link ${check.dev} (links: ${linkList(ns)})`);
  }
  const where = check.dev ?? 'any link';
  const list = candidates.filter((a) => a.family === 'inet').map((a) => `${a.address}/${a.prefixlen}${check.dev ? '' : ` on ${a.dev}`}`);
  return holdsWhen(!check.exists, `${ns.name}: ${where} has ${list.length ? list.join(', ') : 'no IPv4 address'}`);
}

export function describeRoute(ns: string, r: Route): string {
  return `${ns}: ${[r.type !== 'unicast' ? r.type : '', r.dst, r.gateway ? `via ${r.gateway}` : '', r.dev ? `dev ${r.dev}` : '']
    .filter(Boolean)
    .join(' ')}`;
}

/** The main table's routes to `destination` (a CIDR or `default`), of any type. */
export function routesTo(ns: NamespaceState, destination: string): Route[] {
  const dst = normaliseCidr(destination);
  return ns.routes.filter((r) => normaliseCidr(r.dst) === dst || (dst === '0.0.0.0/0' && r.dst === 'default'));
}

export function evaluateRoute(check: CheckOf<'route'>, ns: NamespaceState): Outcome {
  const toDst = routesTo(ns, check.route);
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
