// The routing decision as a fault or a choice: a policy rule that refuses the packet (prohibit,
// blackhole, unreachable), a reject route (in the main table, or in a table a rule led to), no rule
// that reaches the main table; rules the walk had to skip become notes. Pure.
import type { NamespaceState, Route, RoutingRule } from '../snapshot/snapshot.js';
import { ipIn } from './commands.js';
import type { Packet } from './match-packet.js';
import { routeByRules } from './policy-routing.js';
import type { Fault } from './types.js';
import { describePacket, type Walk } from './walk-state.js';
import { lookupRoute, routeLine, type RouteChoice } from './world.js';

export type RouteDecision = { choice: RouteChoice } | { fault: Fault } | { none: true };

function ruleLine(rule: RoutingRule): string {
  return `${rule.priority}:\t${rule.spec}`;
}

function ruleEvidence(ns: NamespaceState, rule: RoutingRule): Fault['evidence'][number] {
  return { command: ipIn(ns, 'rule show'), line: ruleLine(rule) };
}

/** `ip rule del` for exactly this rule (its priority and its words, as ip prints them). */
function deleteRule(ns: NamespaceState, rule: RoutingRule): string {
  return ipIn(ns, `rule del pref ${rule.priority} ${rule.spec.replace(/ \[detached\]/g, '')}`);
}

function rejectRouteFault(ns: NamespaceState, route: Route, p: Packet, rule?: RoutingRule): Fault {
  // the main table: said as before there were rules
  if (!rule?.table || rule.table === 'main') {
    return {
      kind: 'reject-route',
      namespace: ns.name,
      what: `${ns.name}'s route for ${p.dst} is of type ${route.type}, so the kernel refuses to send there.`,
      evidence: [{ command: ipIn(ns, `route get ${p.dst}`), line: routeLine(route) }],
      fix: [ipIn(ns, `route del ${route.type} ${route.dst}`)],
    };
  }
  const table = rule.table;
  return {
    kind: 'reject-route',
    namespace: ns.name,
    what: `${ns.name}'s routing rule ${rule.priority} sends ${describePacket(p)} to table ${table}, whose route for ${p.dst} is of type ${route.type}, so the kernel refuses to send there.`,
    evidence: [ruleEvidence(ns, rule), { command: ipIn(ns, `route show table ${table}`), line: routeLine(route) }],
    fix: [ipIn(ns, `route del ${route.type} ${route.dst} table ${table}`)],
  };
}

function refusalFault(ns: NamespaceState, rule: RoutingRule, p: Packet): Fault {
  return {
    kind: 'policy-rule',
    namespace: ns.name,
    what: `${ns.name}'s routing rule ${rule.priority} matches ${describePacket(p)} before any routing table is consulted, and its action is ${rule.action}, so the kernel refuses to route it.`,
    evidence: [ruleEvidence(ns, rule)],
    fix: [deleteRule(ns, rule)],
  };
}

/** The main table has a route, but no rule leads there (the `lookup main` rule was deleted). */
function mainUnreached(ns: NamespaceState, p: Packet): Fault | undefined {
  if (!ns.rules || ns.rules.some((r) => r.table === 'main')) return undefined;
  const main = lookupRoute(ns, p.dst);
  if (!main) return undefined;
  return {
    kind: 'policy-rule',
    namespace: ns.name,
    what: `No routing rule in ${ns.name} looks up the main table, so its route for ${p.dst} (${routeLine(main.route)}) is never used.`,
    evidence: [{ command: ipIn(ns, 'rule show'), line: ns.rules.map(ruleLine).join(' | ') }],
    fix: [ipIn(ns, 'rule add pref 32766 lookup main')],
  };
}

// the rules each namespace had skipped so far in a walk: one note per namespace names them all
const skippedSoFar = new WeakMap<Walk, Map<string, { rules: RoutingRule[]; note: string }>>();

function untestable(rule: RoutingRule): string[] {
  return [...(rule.fwmark !== undefined ? ['a firewall mark'] : []), ...(rule.other ?? []).filter((o) => o.startsWith('uidrange')).map(() => 'a uid range'), ...((rule.other ?? []).includes('l3mdev') ? ['a VRF'] : [])];
}

function noteSkipped(w: Walk, ns: NamespaceState, skipped: RoutingRule[]): void {
  if (!skipped.length) return;
  let seen = skippedSoFar.get(w);
  if (!seen) skippedSoFar.set(w, (seen = new Map()));
  const entry = seen.get(ns.name) ?? { rules: [], note: '' };
  const added = skipped.filter((r) => !entry.rules.includes(r));
  if (!added.length) return;
  entry.rules = [...entry.rules, ...added].sort((a, b) => a.priority - b.priority);
  const what = [...new Set(entry.rules.flatMap(untestable))].join(', ');
  const rules = entry.rules.map((r) => `\`${r.priority}: ${r.spec}\``).join(', ');
  const one = entry.rules.length === 1;
  const note = `${ns.name}'s routing rule${one ? '' : 's'} ${rules} test${one ? 's' : ''} what the walk cannot know (${what}); ${one ? 'it was' : 'they were'} taken as not matching.`;
  const at = w.notes.indexOf(entry.note);
  if (at >= 0) w.notes[at] = note;
  else w.notes.push(note);
  entry.note = note;
  seen.set(ns.name, entry);
}

/** The route for `p` in `ns` (arriving by `iif`, or made here), or the fault that stops it there. */
export function decideRoute(w: Walk, ns: NamespaceState, p: Packet, iif: string | undefined): RouteDecision {
  const r = routeByRules(ns, p, iif);
  noteSkipped(w, ns, r.skipped);
  if (r.refused && r.rule) return { fault: refusalFault(ns, r.rule, p) };
  if (!r.found) {
    const unreached = mainUnreached(ns, p);
    return unreached ? { fault: unreached } : { none: true };
  }
  if (!r.found.dev) {
    if (r.rule?.table && r.rule.table !== 'main') w.notes.push(`Or remove the rule that leads there: ${deleteRule(ns, r.rule)}.`);
    return { fault: rejectRouteFault(ns, r.found.route, p, r.rule) };
  }
  return { choice: r.found };
}
