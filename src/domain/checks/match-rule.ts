// Matching an iptables rule against a RuleSpec by meaning: option order, -A vs -I, long or short
// option names and address notation do not matter; table, chain, scope and `-p` do. Options the
// spec does not name are allowed.
import type { RuleSpec } from '../lesson/types.js';
import type { IptablesRule, IptablesState } from '../snapshot/snapshot.js';
import { normaliseCidr, normalisePort, splitHostPort } from './net-text.js';
import { findOption, parseRuleOptions, type RuleOption } from './rule-options.js';

type SpecField = Exclude<keyof RuleSpec, 'count'>;

const PORT_PROTOCOLS = new Set(['tcp', 'udp', 'sctp', 'udplite', 'dccp']);

function negation(specValue: string): { value: string; negated: boolean } {
  const t = specValue.trim();
  return t.startsWith('!') ? { value: t.slice(1).trim(), negated: true } : { value: t, negated: false };
}

function optionEquals(option: RuleOption | undefined, specValue: string, normalise: (s: string) => string = (s) => s): boolean {
  const { value, negated } = negation(specValue);
  if (!option || option.negated !== negated) return false;
  return option.values[0] !== undefined && normalise(option.values[0]) === normalise(value);
}

function portMatches(options: readonly RuleOption[], specValue: string, single: string, multi: string): boolean {
  const protocol = findOption(options, 'p');
  // without -p tcp (or udp...) iptables has no port to match: such a rule never matches a port spec
  if (!protocol || protocol.negated || !PORT_PROTOCOLS.has((protocol.values[0] ?? '').toLowerCase())) return false;
  if (optionEquals(findOption(options, single), specValue, normalisePort)) return true;
  const { value, negated } = negation(specValue);
  const list = findOption(options, multi);
  return !!list && list.negated === negated && (list.values[0] ?? '').split(',').map(normalisePort).includes(normalisePort(value));
}

/** The one port a rule matches with --dport (undefined for none, a list, a range or a negation). */
function singleDport(options: readonly RuleOption[]): string | undefined {
  const dport = findOption(options, 'dport');
  const value = dport && !dport.negated && dport.values.length === 1 ? normalisePort(dport.values[0]!) : undefined;
  return value !== undefined && /^\d+$/.test(value) ? value : undefined;
}

/** `to: HOST` accepts any port; `to: HOST:PORT` needs the packets to leave with that port: the
 *  rule's own, or, when it gives none (DNAT keeps the port), the one its --dport matched. */
function toMatches(options: readonly RuleOption[], specValue: string): boolean {
  const option = findOption(options, 'to-destination', 'to-source', 'to');
  if (!option?.values[0]) return false;
  const want = splitHostPort(specValue);
  const have = splitHostPort(option.values[0]);
  if (want.host && want.host !== have.host) return false;
  if (want.port === undefined) return true;
  const keptPort = option.name === 'to-destination' ? singleDport(options) : undefined;
  return want.port === (have.port ?? keptPort);
}

/** An interface spec by meaning. `! X` means "never for X": a rule with `! -o X` has it, and so
 *  does a rule for one other interface (`-o eth0` never matches vnet-animals); `X+` is iptables'
 *  wildcard, so `-o vnet+` does match vnet-animals. A plain `X` needs the rule's own `-o X`. */
function interfaceMatches(option: RuleOption | undefined, specValue: string): boolean {
  if (optionEquals(option, specValue)) return true;
  const { value, negated } = negation(specValue);
  const name = option?.values[0];
  if (!negated || !option || option.negated || name === undefined) return false;
  const covers = name.endsWith('+') ? value.startsWith(name.slice(0, -1)) : name === value;
  return !covers;
}

const sameWord = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The spec fields this rule does not satisfy (empty: it matches). */
export function compareRule(spec: RuleSpec, rule: IptablesRule): SpecField[] {
  const options = parseRuleOptions(rule.args);
  const differs: SpecField[] = [];
  const check = (field: SpecField, ok: boolean) => {
    if (!ok) differs.push(field);
  };
  check('table', sameWord(rule.table, spec.table));
  check('chain', rule.chain === spec.chain || sameWord(rule.chain, spec.chain));
  if (spec.target !== undefined) {
    const jump = findOption(options, 'j', 'g');
    check('target', !!jump?.values[0] && sameWord(jump.values[0], spec.target));
  }
  if (spec.protocol !== undefined) check('protocol', optionEquals(findOption(options, 'p'), spec.protocol, (s) => s.toLowerCase()));
  if (spec.source !== undefined) check('source', optionEquals(findOption(options, 's'), spec.source, normaliseCidr));
  if (spec.destination !== undefined) check('destination', optionEquals(findOption(options, 'd'), spec.destination, normaliseCidr));
  if (spec.in !== undefined) check('in', interfaceMatches(findOption(options, 'i'), spec.in));
  if (spec.out !== undefined) check('out', interfaceMatches(findOption(options, 'o'), spec.out));
  if (spec.dport !== undefined) check('dport', portMatches(options, spec.dport, 'dport', 'dports'));
  if (spec.sport !== undefined) check('sport', portMatches(options, spec.sport, 'sport', 'sports'));
  if (spec.to !== undefined) check('to', toMatches(options, spec.to));
  if (spec.toPorts !== undefined) check('toPorts', optionEquals(findOption(options, 'to-ports'), spec.toPorts, normalisePort));
  if (spec.match !== undefined) check('match', spec.match.every((w) => rule.args.includes(w)));
  return differs;
}

export function allRules(iptables: IptablesState): IptablesRule[] {
  return Object.values(iptables.tables).flatMap((t) => t.rules);
}

export function findMatchingRules(spec: RuleSpec, iptables: IptablesState): IptablesRule[] {
  return allRules(iptables).filter((r) => compareRule(spec, r).length === 0);
}

/** The rule that satisfies most of the spec (ties: the first), for evidence when none matches. */
export function findClosestRule(spec: RuleSpec, iptables: IptablesState): { rule: IptablesRule; differs: SpecField[] } | undefined {
  let best: { rule: IptablesRule; differs: SpecField[] } | undefined;
  for (const rule of allRules(iptables)) {
    const differs = compareRule(spec, rule);
    // a rule in another table only helps when the rest of it matches ("right rule, wrong table")
    if (differs.includes('table') && differs.length > 1) continue;
    if (!best || differs.length < best.differs.length) best = { rule, differs };
  }
  return best;
}

/** The spec written the way iptables would print it, for messages. */
export function describeRuleSpec(spec: RuleSpec): string {
  const words = [`-t ${spec.table}`, `-A ${spec.chain}`];
  const add = (flag: string, v: string | undefined) => {
    if (v === undefined) return;
    const { value, negated } = negation(v);
    words.push(`${negated ? '! ' : ''}${flag} ${value}`);
  };
  add('-p', spec.protocol ?? (spec.dport !== undefined || spec.sport !== undefined ? 'tcp' : undefined));
  add('-s', spec.source);
  add('-d', spec.destination);
  add('-i', spec.in);
  add('-o', spec.out);
  add('--sport', spec.sport);
  add('--dport', spec.dport);
  if (spec.match) words.push(spec.match.join(' '));
  add('-j', spec.target);
  add('--to', spec.to);
  add('--to-ports', spec.toPorts);
  return words.join(' ');
}
