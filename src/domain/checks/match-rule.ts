// Matching an iptables rule against a RuleSpec by meaning: option order, -A vs -I, long or short
// option names and address notation do not matter; table, chain, scope and `-p` do. Options the
// spec does not name are allowed.
import type { RuleSpec } from '../lesson/types.js';
import type { PortRange, RuleMatch } from '../snapshot/rule-model.js';
import type { IptablesRule, IptablesState } from '../snapshot/snapshot.js';
import { normaliseCidr, normalisePort, splitHostPort } from './net-text.js';

type SpecField = Exclude<keyof RuleSpec, 'count'>;

const PORT_PROTOCOLS = new Set(['tcp', 'udp', 'sctp', 'udplite', 'dccp']);

function negation(specValue: string): { value: string; negated: boolean } {
  const t = specValue.trim();
  return t.startsWith('!') ? { value: t.slice(1).trim(), negated: true } : { value: t, negated: false };
}

type Negatable = { negated: boolean };

/** A rule's value against a spec's (`! X` wants the negation), compared after `normalise`. */
function valueEquals(have: (Negatable & { text: string }) | undefined, specValue: string, normalise: (s: string) => string = (s) => s): boolean {
  const { value, negated } = negation(specValue);
  return !!have && have.negated === negated && normalise(have.text) === normalise(value);
}

const portText = (r: PortRange) => (r.from === r.to ? String(r.from) : `${r.from}:${r.to}`);

type MatchOf<K extends RuleMatch['kind']> = RuleMatch & { kind: K };

function matchOf<K extends RuleMatch['kind']>(rule: IptablesRule, kind: K): MatchOf<K> | undefined {
  return rule.matches.find((m): m is MatchOf<K> => m.kind === kind);
}

function portMatches(rule: IptablesRule, specValue: string, kind: 'destination-port' | 'source-port'): boolean {
  const protocol = matchOf(rule, 'protocol');
  // without -p tcp (or udp...) iptables has no port to match: such a rule never matches a port spec
  if (!protocol || protocol.negated || !PORT_PROTOCOLS.has(protocol.protocol)) return false;
  const ports = matchOf(rule, kind);
  const { value, negated } = negation(specValue);
  if (!ports || ports.negated !== negated) return false;
  // one port or range (--dport), or one of a multiport list (--dports)
  return ports.multiport ? ports.ports.some((r) => portText(r) === normalisePort(value)) : ports.ports.length === 1 && portText(ports.ports[0]!) === normalisePort(value);
}

/** The one port a rule matches with --dport (undefined for none, a list, a range or a negation). */
function singleDport(rule: IptablesRule): number | undefined {
  const dport = matchOf(rule, 'destination-port');
  const r = dport && !dport.negated && !dport.multiport && dport.ports.length === 1 ? dport.ports[0]! : undefined;
  return r && r.from === r.to ? r.from : undefined;
}

/** `to: HOST` accepts any port; `to: HOST:PORT` needs the packets to leave with that port: the
 *  rule's own, or, when it gives none (DNAT keeps the port), the one its --dport matched. */
function toMatches(rule: IptablesRule, specValue: string): boolean {
  const t = rule.target;
  const to = t && (t.kind === 'dnat' || t.kind === 'snat') ? t.to : undefined;
  if (!to?.address) return false;
  const want = splitHostPort(specValue);
  if (want.host && want.host !== to.address) return false;
  if (want.port === undefined) return true;
  const keptPort = t?.kind === 'dnat' ? singleDport(rule) : undefined;
  return Number(want.port) === (to.port ?? keptPort);
}

/** An interface spec by meaning. `! X` means "never for X": a rule with `! -o X` has it, and so
 *  does a rule for one other interface (`-o eth0` never matches vnet-animals); `X+` is iptables'
 *  wildcard, so `-o vnet+` does match vnet-animals. A plain `X` needs the rule's own `-o X`. */
function interfaceMatches(have: MatchOf<'in-interface' | 'out-interface'> | undefined, specValue: string): boolean {
  if (valueEquals(have && { text: have.name, negated: have.negated }, specValue)) return true;
  const { value, negated } = negation(specValue);
  if (!negated || !have || have.negated) return false;
  const covers = have.name.endsWith('+') ? value.startsWith(have.name.slice(0, -1)) : have.name === value;
  return !covers;
}

const sameWord = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The spec fields this rule does not satisfy (empty: it matches). */
export function compareRule(spec: RuleSpec, rule: IptablesRule): SpecField[] {
  const differs: SpecField[] = [];
  const check = (field: SpecField, ok: boolean) => {
    if (!ok) differs.push(field);
  };
  const text = <M extends Negatable>(m: M | undefined, f: (m: M) => string) => m && { text: f(m), negated: m.negated };
  check('table', sameWord(rule.table, spec.table));
  check('chain', rule.chain === spec.chain || sameWord(rule.chain, spec.chain));
  if (spec.target !== undefined) check('target', !!rule.target?.name && sameWord(rule.target.name, spec.target));
  if (spec.protocol !== undefined) check('protocol', valueEquals(text(matchOf(rule, 'protocol'), (m) => m.protocol), spec.protocol, (s) => s.toLowerCase()));
  if (spec.source !== undefined) check('source', valueEquals(text(matchOf(rule, 'source'), (m) => m.cidr), spec.source, normaliseCidr));
  if (spec.destination !== undefined) check('destination', valueEquals(text(matchOf(rule, 'destination'), (m) => m.cidr), spec.destination, normaliseCidr));
  if (spec.in !== undefined) check('in', interfaceMatches(matchOf(rule, 'in-interface'), spec.in));
  if (spec.out !== undefined) check('out', interfaceMatches(matchOf(rule, 'out-interface'), spec.out));
  if (spec.dport !== undefined) check('dport', portMatches(rule, spec.dport, 'destination-port'));
  if (spec.sport !== undefined) check('sport', portMatches(rule, spec.sport, 'source-port'));
  if (spec.to !== undefined) check('to', toMatches(rule, spec.to));
  if (spec.toPorts !== undefined) {
    const t = rule.target;
    const ports = t && (t.kind === 'masquerade' || t.kind === 'redirect') ? t.toPorts : undefined;
    check('toPorts', valueEquals(ports && { text: portText(ports), negated: false }, spec.toPorts, normalisePort));
  }
  // `match:` names iptables words the rule must contain (a lesson's escape hatch): compared as words
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
