// A DNAT that fires but points at the wrong place: an address nobody on the link has, a port the
// target does not listen on while it listens on another, or a target where nothing listens on that
// port at all. When a later rule of the same chain would send the packet to a server that listens,
// the fix deletes the rule that shadows it; else it rewrites --to-destination to the one server
// that exists. Pure.
import type { NamespaceState } from '../snapshot/snapshot.js';
import { runIn } from './commands.js';
import { deleteNatRule, natRuleEvidence, natWithout, replaceNftRule } from './nat-rules.js';
import type { Evidence, Fault } from './types.js';
import type { NatEntry, Walk } from './walk-state.js';
import { findNamespace, ipv4Addresses, isLocal, listens, lookupRoute } from './world.js';

/** The DNAT done on the way that produced this address (and port). */
export function dnatTo(w: Walk, address: string, port?: number): NatEntry | undefined {
  return [...w.nat].reverse().find((e) => e.kind === 'dnat' && e.after.address === address && (port === undefined || e.after.port === undefined || e.after.port === port));
}

function replaceTarget(e: NatEntry, to: string): string[] {
  const ns = e.namespace;
  if (e.nft) {
    // a native nft rule: replace it in place, by its handle
    return [replaceNftRule({ name: ns, kind: ns === 'host' ? 'host' : 'named' }, e.nft, e.rule.replace(/dnat to \S+/, `dnat to ${to}`))];
  }
  const del = e.rule.replace(/^-A /, '-D ');
  const add = e.rule.replace(/--to-destination \S+/, `--to-destination ${to}`);
  const where = { name: ns, kind: ns === 'host' ? ('host' as const) : ('named' as const) };
  return [runIn(where, `iptables -t nat ${del}`), runIn(where, `iptables -t nat ${add}`)];
}

/** Who listens on address:port: the namespace that has the address, if it listens there. */
function listenerAt(w: Walk, address: string, port: number): NamespaceState | undefined {
  const owner = w.snapshot.namespaces.find((n) => n.kind !== 'upstream' && isLocal(n, address));
  return owner && listens(owner, address, port) ? owner : undefined;
}

/** Without this rule, a later one would DNAT the packet to a server that listens: delete it. */
function shadowedDnat(w: Walk, e: NatEntry): { fix: string[]; note: string } | undefined {
  const instead = natWithout(w, e);
  if (instead?.target !== 'DNAT') return undefined;
  const port = instead.port ?? e.before.port;
  const server = port !== undefined ? listenerAt(w, instead.address, port) : undefined;
  if (!server || instead.address === e.after.address) return undefined;
  return {
    fix: [deleteNatRule(w, e)],
    note: `${server.name} listens on ${instead.address}:${port}, and a later rule in the same chain already DNATs there (\`${instead.rule}\`): deleting this one is enough.`,
  };
}

/** Servers listening on `port` that `router` can route to (not the source, not upstream). */
export function serversOn(w: Walk, port: number, router: NamespaceState): Array<{ ns: NamespaceState; address: string }> {
  return w.snapshot.namespaces
    .filter((n) => n !== router && n.kind !== 'upstream' && n.name !== w.source.name && n.listening.some((l) => l.port === port))
    .map((n) => ({ ns: n, address: ipv4Addresses(n).find((a) => a.scope === 'global' && lookupRoute(router, a.address)?.dev !== undefined)?.address }))
    .filter((s): s is { ns: NamespaceState; address: string } => s.address !== undefined);
}

/** The DNAT sent the packet to an address no one on the link has. */
export function dnatToNowhere(w: Walk, e: NatEntry, from: NamespaceState, oif: string, evidence: Evidence[]): Fault {
  const router = findNamespace(w.snapshot, e.namespace) ?? from;
  const servers = e.after.port !== undefined ? serversOn(w, e.after.port, router) : [];
  const target = `${e.after.address}${e.after.port !== undefined ? `:${e.after.port}` : ''}`;
  const shadowed = shadowedDnat(w, e);
  if (shadowed) w.notes.push(shadowed.note);
  return {
    kind: 'dnat-target-missing',
    namespace: e.namespace,
    what: `The DNAT rule in ${e.namespace} sends ${e.before.address}${e.before.port ? `:${e.before.port}` : ''} to ${target}, but nothing on the link behind ${from.name}'s ${oif} has ${e.after.address}.`,
    evidence: [natRuleEvidence(w, e), ...evidence],
    fix: shadowed?.fix ?? (servers.length === 1 ? replaceTarget(e, `${servers[0]!.address}:${e.after.port}`) : [`# point --to-destination of that rule at the server's address`]),
  };
}

/** The DNAT sent the packet to a port nothing listens on, where something listens on another. */
export function dnatToClosedPort(w: Walk, e: NatEntry, ns: NamespaceState, port: number, evidence: Evidence[]): Fault | undefined {
  // a server bound to 127.0.0.1 is out of a DNAT's reach (the packet arrives on another device)
  const reachable = ns.listening.filter((l) => !l.address.startsWith('127.') && l.address !== '::1');
  const ports = [...new Set(reachable.map((l) => l.port))].filter((x) => x !== port);
  const better = e.before.port !== undefined && ports.includes(e.before.port) ? e.before.port : ports.length === 1 ? ports[0] : undefined;
  if (better === undefined) return undefined;
  const loopbackOnly = ns.listening.find((l) => l.port === port && l.address.startsWith('127.'));
  return {
    kind: 'dnat-wrong-port',
    namespace: e.namespace,
    what: loopbackOnly
      ? `The DNAT rule in ${e.namespace} sends it to ${e.after.address}:${port}, but ${ns.name} listens on port ${port} only on ${loopbackOnly.address}, which a DNAT'd packet (arriving on another device) cannot reach; ${ns.name} listens on port ${better} on all its addresses.`
      : `The DNAT rule in ${e.namespace} sends it to ${e.after.address}:${port}, but ${ns.name} listens on port ${better}, not ${port}.`,
    evidence: [natRuleEvidence(w, e), ...evidence],
    fix: replaceTarget(e, `${e.after.address}:${better}`),
  };
}

/** The DNAT sent the packet to a namespace where nothing listens on that port, while a later rule
 *  (or the one server there is) leads to one that does: the rule is the fault, not the server. */
export function dnatToIdle(w: Walk, e: NatEntry, ns: NamespaceState, port: number, evidence: Evidence[]): Fault | undefined {
  const router = findNamespace(w.snapshot, e.namespace);
  if (!router || router === ns) return undefined;
  const shadowed = shadowedDnat(w, e);
  const servers = shadowed ? [] : serversOn(w, port, router).filter((s) => s.ns !== ns);
  if (!shadowed && servers.length !== 1) return undefined;
  if (shadowed) w.notes.push(shadowed.note);
  const from = `${e.before.address}${e.before.port !== undefined ? `:${e.before.port}` : ''}`;
  const first = shadowed ? 'The first DNAT rule that matches' : 'The DNAT rule';
  return {
    kind: 'dnat-target-not-listening',
    namespace: e.namespace,
    what: `${first} in ${e.namespace} sends ${from} to ${e.after.address}:${port}, in ${ns.name}, where nothing listens on port ${port}${shadowed ? '' : `; the server is in ${servers[0]!.ns.name} (${servers[0]!.address}:${port})`}.`,
    evidence: [natRuleEvidence(w, e), ...evidence],
    fix: shadowed?.fix ?? replaceTarget(e, `${servers[0]!.address}:${port}`),
  };
}
