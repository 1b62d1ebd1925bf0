// A DNAT that fires but points at the wrong place: an address nobody on the link has, or a port
// nothing listens on. The fix rewrites the rule's --to-destination to a server that exists. Pure.
import type { NamespaceState } from '../snapshot.js';
import { runIn } from './commands.js';
import type { Evidence, Fault } from './types.js';
import type { NatEntry, Walk } from './walk-state.js';
import { findNamespace, ipv4Addresses, lookupRoute } from './world.js';

/** The DNAT done on the way that produced this address (and port). */
export function dnatTo(w: Walk, address: string, port?: number): NatEntry | undefined {
  return [...w.nat].reverse().find((e) => e.kind === 'dnat' && e.after.address === address && (port === undefined || e.after.port === undefined || e.after.port === port));
}

function replaceTarget(e: NatEntry, to: string): string[] {
  const ns = e.namespace;
  if (e.nft) {
    // a native nft rule: replace it in place, by its handle
    const rule = e.rule.replace(/dnat to \S+/, `dnat to ${to}`).replace(/'/g, `'\\''`);
    return [runIn({ name: ns, kind: ns === 'host' ? 'host' : 'named' }, `nft replace rule ${e.nft.family} ${e.nft.table} ${e.nft.chain} handle ${e.nft.handle} '${rule}'`)];
  }
  const del = e.rule.replace(/^-A /, '-D ');
  const add = e.rule.replace(/--to-destination \S+/, `--to-destination ${to}`);
  const where = { name: ns, kind: ns === 'host' ? ('host' as const) : ('named' as const) };
  return [runIn(where, `iptables -t nat ${del}`), runIn(where, `iptables -t nat ${add}`)];
}

/** The command and line that show the DNAT rule. */
function ruleEvidence(e: NatEntry, kind: NamespaceState['kind']): Evidence {
  const where = { name: e.namespace, kind };
  if (e.nft) return { command: runIn(where, `nft -a list chain ${e.nft.family} ${e.nft.table} ${e.nft.chain}`), line: `${e.rule} # handle ${e.nft.handle}` };
  return { command: runIn(where, 'iptables -t nat -S'), line: e.rule };
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
  return {
    kind: 'dnat-target-missing',
    namespace: e.namespace,
    what: `The DNAT rule in ${e.namespace} sends ${e.before.address}${e.before.port ? `:${e.before.port}` : ''} to ${target}, but nothing on the link behind ${from.name}'s ${oif} has ${e.after.address}.`,
    evidence: [ruleEvidence(e, router.kind), ...evidence],
    fix: servers.length === 1 ? replaceTarget(e, `${servers[0]!.address}:${e.after.port}`) : [`# point --to-destination of that rule at the server's address`],
  };
}

/** The DNAT sent the packet to a port nothing listens on, where something listens on another. */
export function dnatToClosedPort(w: Walk, e: NatEntry, ns: NamespaceState, port: number, evidence: Evidence[]): Fault | undefined {
  const ports = [...new Set(ns.listening.map((l) => l.port))];
  const better = e.before.port !== undefined && ports.includes(e.before.port) ? e.before.port : ports.length === 1 ? ports[0] : undefined;
  if (better === undefined) return undefined;
  return {
    kind: 'dnat-wrong-port',
    namespace: e.namespace,
    what: `The DNAT rule in ${e.namespace} sends it to ${e.after.address}:${port}, but ${ns.name} listens on port ${better}, not ${port}.`,
    evidence: [ruleEvidence(e, findNamespace(w.snapshot, e.namespace)?.kind ?? 'named'), ...evidence],
    fix: replaceTarget(e, `${e.after.address}:${better}`),
  };
}
