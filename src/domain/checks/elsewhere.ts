// Wrong namespace, the most common mistake of the course: when a failing check's link, address,
// route, rule, policy, sysctl or listening socket is absent where the check looks but present in
// another namespace, the sentence that says where it is. Pure over the snapshot.
import type { Check } from '../lesson/types.js';
import type { NamespaceState, Snapshot } from '../snapshot/snapshot.js';
import { evaluateAddress, evaluateLink, evaluateListening, evaluateRoute, routesTo } from './link-checks.js';
import { findMatchingRules } from './match-rule.js';
import { namespaceHealth, type Outcome } from './outcome.js';
import { evaluatePolicy } from './rule-checks.js';
import { evaluateSysctl, sysctlName } from './other-checks.js';

/** "the host" / "fox", as a place. */
function place(ns: NamespaceState): string {
  return ns.kind === 'host' ? 'the host' : ns.name;
}

/** "the host's" / "fox's". */
function owner(ns: NamespaceState): string {
  return ns.kind === 'host' ? "the host's" : `${ns.name}'s`;
}

/** Whether the thing a check names is absent from `ns` (not merely different): only then can its
 *  presence elsewhere be the mistake. A link that is there but down is not "in the wrong place". */
function absentHere(check: Check, ns: NamespaceState): boolean {
  switch (check.kind) {
    case 'link':
      return !ns.links.some((l) => l.name === check.link);
    case 'address': {
      const want = check.address.toLowerCase().split('/')[0];
      return !ns.addresses.some((a) => a.address.toLowerCase() === want);
    }
    case 'route':
      return !routesTo(ns, check.route).some((r) => r.type === 'unicast');
    case 'listening':
      return !ns.listening.some((l) => l.port === check.port);
    case 'rule':
    case 'policy':
    case 'sysctl':
      // the check failed, and a rule, policy or value is wrong or absent as a whole
      return true;
    default:
      return false;
  }
}

/** The check judged in another namespace, read from the snapshot alone (no probes). */
function holdsIn(check: Check, other: NamespaceState, snapshot: Snapshot): boolean {
  let outcome: Outcome;
  switch (check.kind) {
    case 'link':
      outcome = evaluateLink(check, other, snapshot);
      break;
    case 'address':
      outcome = evaluateAddress(check, other);
      break;
    case 'route':
      outcome = evaluateRoute(check, other);
      break;
    case 'listening':
      outcome = evaluateListening(check, other);
      break;
    case 'rule':
      // a namespace whose rules were not read has none to show
      if (!other.iptables) return false;
      return findMatchingRules(check.rule, other.iptables).length > 0;
    case 'policy':
      // an unloaded table "accepts everything" everywhere: only a chain really there counts
      if (!other.iptables?.tables[check.table]?.chains[check.chain]) return false;
      outcome = evaluatePolicy(check, other);
      break;
    case 'sysctl':
      if (other.sysctls[sysctlName(check.sysctl)] === undefined) return false;
      outcome = evaluateSysctl(check, other, undefined);
      break;
    default:
      return false;
  }
  return outcome.status === 'pass';
}

function sentence(check: Check, other: NamespaceState, ns: NamespaceState): string {
  const wants = `the step wants it in ${place(ns)}`;
  switch (check.kind) {
    case 'link':
      return `${check.link} is in ${place(other)}; ${wants}`;
    case 'address': {
      const dev = other.addresses.find((a) => a.address.toLowerCase() === check.address.toLowerCase().split('/')[0])?.dev;
      return `${check.address} is on ${dev ?? 'a link'} in ${place(other)}; ${wants}`;
    }
    case 'route':
      return `${owner(other)} routing table has this route; ${wants}`;
    case 'listening':
      return `something listens on port ${check.port} in ${place(other)}; the step wants it to listen in ${place(ns)}`;
    case 'rule':
      return `this rule is in ${owner(other)} ${check.rule.table} table; ${wants}`;
    case 'policy':
      return `${owner(other)} ${check.table} ${check.chain} has policy ${check.policy}; ${wants}`;
    case 'sysctl':
      return `${sysctlName(check.sysctl)} is ${check.value} in ${place(other)}; ${wants}`;
    default:
      return '';
  }
}

/** Where else the failing `check` (read in `ns`) holds, as one sentence; undefined when nowhere,
 *  or when the check asks for an absence (`exists: false`, a rule `count`). */
export function foundElsewhere(check: Check, ns: NamespaceState, snapshot: Snapshot): string | undefined {
  if ('exists' in check && check.exists === false) return undefined;
  if (check.kind === 'rule' && check.rule.count !== undefined) return undefined;
  if (!absentHere(check, ns)) return undefined;
  const others = snapshot.namespaces.filter((o) => o !== ns && o.kind !== 'upstream' && namespaceHealth(snapshot, o) === 'readable' && holdsIn(check, o, snapshot));
  const [first] = others;
  if (!first) return undefined;
  const text = sentence(check, first, ns);
  return others.length > 1 ? `${text} (also in ${others.slice(1).map(place).join(', ')})` : text;
}
