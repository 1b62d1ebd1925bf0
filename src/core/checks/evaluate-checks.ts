// evaluateChecks: a step's checks judged over one snapshot and the probe results. Pure.
import type { Check, CheckResult } from '../lesson/types.js';
import type { Snapshot } from '../snapshot.js';
import { evaluateAddress, evaluateLink, evaluateListening, evaluateRoute } from './link-checks.js';
import { findNamespace, holdsWhen, missingNamespace, namedNamespaces, type Outcome } from './outcome.js';
import { probeKey, reachRequestOf, type ProbeResults } from './probe-types.js';
import { evaluatePolicy, evaluateRule } from './rule-checks.js';
import { evaluateFile, evaluateReach, evaluateShell, evaluateSysctl } from './other-checks.js';

function evaluateOne(check: Check, snapshot: Snapshot, probes: ProbeResults): Outcome {
  switch (check.kind) {
    case 'netns': {
      const list = namedNamespaces(snapshot);
      const present = list.includes(check.netns);
      return holdsWhen(present === check.exists, `ip netns list: ${list.length ? list.join(', ') : 'empty'}`);
    }
    case 'reach':
      return evaluateReach(check, probes[probeKey(reachRequestOf(check))]);
    case 'shell':
      return evaluateShell(probes[probeKey({ kind: 'shell', script: check.shell })]);
    case 'file':
      return evaluateFile(check, snapshot);
    default:
      break;
  }
  const ns = findNamespace(snapshot, check.in);
  if (!ns) return missingNamespace(snapshot, check.in);
  switch (check.kind) {
    case 'link':
      return evaluateLink(check, ns);
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
