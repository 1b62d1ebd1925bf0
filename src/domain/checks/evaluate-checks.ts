// evaluateChecks: a step's checks judged over one snapshot and the probe results. Pure.
import type { Check, CheckResult } from '../lesson/types.js';
import type { NamespaceState, Snapshot } from '../snapshot/snapshot.js';
import { foundElsewhere } from './elsewhere.js';
import { evaluateAddress, evaluateLink, evaluateListening, evaluateRoute } from './link-checks.js';
import { cannotTell, describeNamespaceList, findNamespace, holdsWhen, missingNamespace, namespaceHealth, unreadableNamespace, type Outcome } from './outcome.js';
import { probeKey, reachRequestOf, type ProbeResults } from './probe-types.js';
import { evaluatePolicy, evaluateRule } from './rule-checks.js';
import { evaluateFile, evaluateReach, evaluateShell, evaluateSysctl } from './other-checks.js';
import { UPSTREAM_NAME } from '../sandbox-layout.js';

/** A `netns:` check holds only for a real namespace: a name in /run/netns with no namespace behind
 *  it (`ip netns add` run inside `ip netns exec`, or `touch`) is listed but is not one. */
function evaluateNetns(check: Extract<Check, { kind: 'netns' }>, snapshot: Snapshot): Outcome {
  const evidence = describeNamespaceList(snapshot);
  const ns = snapshot.namespaces.find((n) => n.kind === 'named' && n.name === check.netns);
  if (!ns) return holdsWhen(!check.exists, evidence);
  // either way the name is taken by something that is not a namespace: say so, and the way out
  return unreadableNamespace(snapshot, ns) ?? holdsWhen(check.exists, evidence);
}

/** A failing check whose thing is in another namespace says where (see elsewhere.ts). */
function withElsewhere(outcome: Outcome, check: Check, ns: NamespaceState, snapshot: Snapshot): Outcome {
  if (outcome.status !== 'fail') return outcome;
  const where = foundElsewhere(check, ns, snapshot);
  if (where === undefined) return outcome;
  return { ...outcome, evidence: outcome.evidence !== undefined ? `${where} (${outcome.evidence})` : where };
}

function evaluateOne(check: Check, snapshot: Snapshot, probes: ProbeResults): Outcome {
  switch (check.kind) {
    case 'netns':
      return evaluateNetns(check, snapshot);
    case 'reach': {
      // probing from a name that is not a namespace shows nothing; the snapshot says why, when read
      const from = check.from === UPSTREAM_NAME ? undefined : findNamespace(snapshot, check.from);
      const unreadable = from && namespaceHealth(snapshot, from) === 'not-a-namespace' ? unreadableNamespace(snapshot, from) : undefined;
      return unreadable ?? evaluateReach(check, probes[probeKey(reachRequestOf(check))]);
    }
    case 'shell':
      return evaluateShell(probes[probeKey({ kind: 'shell', script: check.shell })]);
    case 'file':
      return evaluateFile(check, snapshot);
    default:
      break;
  }
  const ns = findNamespace(snapshot, check.in);
  if (!ns) return missingNamespace(snapshot, check.in);
  const unreadable = unreadableNamespace(snapshot, ns);
  if (unreadable) return unreadable;
  return withElsewhere(evaluateIn(check, ns, snapshot, probes), check, ns, snapshot);
}

function evaluateIn(check: Check, ns: NamespaceState, snapshot: Snapshot, probes: ProbeResults): Outcome {
  switch (check.kind) {
    case 'link':
      return evaluateLink(check, ns, snapshot);
    case 'address':
      return evaluateAddress(check, ns);
    case 'route':
      return evaluateRoute(check, ns);
    case 'listening':
      return evaluateListening(check, ns);
    case 'sysctl':
      return evaluateSysctl(check, ns, probes[probeKey({ kind: 'sysctl', in: check.in, name: check.sysctl })]);
    case 'rule':
      return evaluateRule(check, ns);
    case 'policy':
      return evaluatePolicy(check, ns);
    default:
      // netns, reach, shell and file checks do not read one namespace (evaluateOne judged them)
      return cannotTell(`A ${check.kind} check reached the namespace evaluators (a bug).`);
  }
}

export function evaluateCheck(check: Check, snapshot: Snapshot, probes: ProbeResults = {}): CheckResult {
  const outcome = evaluateOne(check, snapshot, probes);
  const result: CheckResult = { name: check.name, status: outcome.status };
  if (outcome.status !== 'pass') {
    result.message = outcome.message ?? check.message;
    if (check.hint !== undefined) result.hint = check.hint;
  }
  if (outcome.evidence !== undefined) result.evidence = outcome.evidence;
  return result;
}

export function evaluateChecks(checks: readonly Check[], snapshot: Snapshot, probes: ProbeResults = {}): CheckResult[] {
  return checks.map((c) => evaluateCheck(c, snapshot, probes));
}
