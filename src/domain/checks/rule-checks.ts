// Checks over a namespace's iptables rules and chain policies (as iptables-save shows them).
import type { Check } from '../lesson/types.js';
import type { NamespaceState } from '../snapshot/snapshot.js';
import { describeRuleSpec, findClosestRule, findMatchingRules } from './match-rule.js';
import { cannotTell, fail, holdsWhen, pass, type Outcome } from './outcome.js';

type CheckOf<K extends Check['kind']> = Extract<Check, { kind: K }>;

const BUILT_IN_CHAINS = new Set(['INPUT', 'OUTPUT', 'FORWARD', 'PREROUTING', 'POSTROUTING']);

export function evaluateRule(check: CheckOf<'rule'>, ns: NamespaceState): Outcome {
  if (!ns.iptables) return cannotTell(`The iptables rules of ${ns.name} could not be read (is iptables installed?).`);
  const spec = check.rule;
  const matching = findMatchingRules(spec, ns.iptables);
  const show = (r: { table: string; text: string }) => `${ns.name} ${r.table}: ${r.text}`;
  if (spec.count !== undefined) {
    const evidence =
      matching.length === 0
        ? `${ns.name}: no rule like ${describeRuleSpec(spec)}`
        : `${ns.name}: ${matching.length} matching rule${matching.length === 1 ? '' : 's'}: ${matching.map((r) => r.text).join(' | ')}`;
    return holdsWhen(matching.length === spec.count, evidence);
  }
  const [first] = matching;
  if (first) return pass(show(first));
  const closest = findClosestRule(spec, ns.iptables);
  if (closest) return fail(`${show(closest.rule)} (differs in ${closest.differs.join(', ')}; wanted ${describeRuleSpec(spec)})`);
  return fail(`${ns.name}: no rule in ${spec.table} ${spec.chain} (wanted ${describeRuleSpec(spec)})`);
}

export function evaluatePolicy(check: CheckOf<'policy'>, ns: NamespaceState): Outcome {
  if (!ns.iptables) return cannotTell(`The iptables rules of ${ns.name} could not be read (is iptables installed?).`);
  const chain = ns.iptables.tables[check.table]?.chains[check.chain];
  if (!chain) {
    // no table loaded: the kernel accepts everything, which is what a built-in ACCEPT policy means
    if (BUILT_IN_CHAINS.has(check.chain)) {
      return holdsWhen(check.policy === 'ACCEPT', `${ns.name} ${check.table}: no ${check.chain} chain loaded (everything is accepted)`);
    }
    return fail(`${ns.name} ${check.table}: no chain ${check.chain}`);
  }
  return holdsWhen(chain.policy.toUpperCase() === check.policy, `${ns.name} ${check.table}: ${check.chain} policy ${chain.policy}`);
}
