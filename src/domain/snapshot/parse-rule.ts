// Reads one iptables-save rule's words (after `-A CHAIN`) into the typed rule (rule-model.ts), and
// writes a match back in iptables' words for messages. The one place that knows iptables' option
// spellings; checks, the diagnoser and the map read the result. Pure.
import type { MarkValue, NatTo, ParsedRule, PortRange, RuleMatch, RuleTarget } from './rule-model.js';

/** Options whose values run to the next option (`-s 10.0.0.0/8`); a word starting with '-' and a
 *  digit is a value (a negative number), not an option. */
const isOption = (w: string | undefined) => w !== undefined && w !== '!' && w.startsWith('-') && !/^-\d/.test(w);

/** 'a', 'a:b' or 'a-b' -> a range; undefined when not numbers. */
export function parsePortRange(text: string): PortRange | undefined {
  const [lo, hi] = text.split(/[:-]/);
  const from = lo === '' || lo === undefined ? 0 : Number(lo);
  const to = hi === undefined ? from : hi === '' ? 65535 : Number(hi);
  return Number.isInteger(from) && Number.isInteger(to) ? { from, to } : undefined;
}

function parseMark(text: string): MarkValue {
  const [v = '0', m] = text.split('/');
  return { value: Number(v) >>> 0, mask: m === undefined ? 0xffffffff : Number(m) >>> 0 };
}

/** `10.0.0.1-10.0.0.3:80-90`, each part optional. */
export function parseNatTo(text: string): NatTo {
  const colon = text.lastIndexOf(':');
  const [addrs, ports] = colon >= 0 && !text.slice(0, colon).includes(':') ? [text.slice(0, colon), text.slice(colon + 1)] : [text, undefined];
  const [address, addressEnd] = addrs.split('-');
  const range = ports !== undefined ? parsePortRange(ports) : undefined;
  return {
    ...(address ? { address } : {}),
    ...(addressEnd ? { addressEnd } : {}),
    ...(range ? { port: range.from } : {}),
    ...(range && range.to !== range.from ? { portEnd: range.to } : {}),
  };
}

function valueOf(options: readonly string[], ...names: string[]): string | undefined {
  const i = options.findIndex((w) => names.includes(w));
  return i >= 0 ? options[i + 1] : undefined;
}

const SIMPLE_TARGETS: Record<string, 'accept' | 'drop' | 'return' | 'notrack'> = { ACCEPT: 'accept', DROP: 'drop', RETURN: 'return', NOTRACK: 'notrack' };

/** The target `name` with its option words; `chains` are the table's chains (a name among them is a
 *  jump into a user chain, any other an extension target). */
export function parseTarget(name: string, options: string[], goto: boolean, chains: ReadonlySet<string>): RuleTarget {
  const base = { name, options };
  const simple = SIMPLE_TARGETS[name];
  if (simple) return { ...base, kind: simple };
  switch (name) {
    case 'REJECT': {
      const rejectWith = valueOf(options, '--reject-with');
      return { ...base, kind: 'reject', ...(rejectWith ? { rejectWith } : {}) };
    }
    case 'DNAT':
    case 'SNAT': {
      const to = valueOf(options, '--to-destination', '--to-source', '--to');
      return { ...base, kind: name === 'DNAT' ? 'dnat' : 'snat', ...(to ? { to: parseNatTo(to) } : {}) };
    }
    case 'MASQUERADE':
    case 'REDIRECT': {
      const ports = valueOf(options, '--to-ports');
      const toPorts = ports !== undefined ? parsePortRange(ports) : undefined;
      return { ...base, kind: name === 'MASQUERADE' ? 'masquerade' : 'redirect', ...(toPorts ? { toPorts } : {}) };
    }
    case 'MARK': {
      const xmark = valueOf(options, '--set-xmark');
      const set = valueOf(options, '--set-mark');
      // --set-mark v/m is --set-xmark v/m with the mask's bits cleared first: the same result here
      return { ...base, kind: 'mark', xmark: parseMark(xmark ?? set ?? '0') };
    }
    case 'CT':
      return { ...base, kind: 'ct', notrack: options.includes('--notrack') };
    case 'LOG': {
      const prefix = valueOf(options, '--log-prefix');
      return { ...base, kind: 'log', ...(prefix !== undefined ? { prefix } : {}) };
    }
  }
  return chains.has(name) ? { ...base, kind: 'jump', chain: name, goto } : { ...base, kind: 'other' };
}

/** One option of a match module with its values, as read from the words. */
interface Option {
  name: string;
  values: string[];
  negated: boolean;
  module?: string;
}

function readOptions(args: readonly string[]): { options: Option[]; target?: { name: string; options: string[]; goto: boolean } } {
  const options: Option[] = [];
  let module: string | undefined;
  let negated = false;
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w === '!') {
      negated = true;
      continue;
    }
    if (w === '-j' || w === '--jump' || w === '-g' || w === '--goto') {
      return { options, target: { name: args[i + 1] ?? '', options: args.slice(i + 2), goto: w === '-g' || w === '--goto' } };
    }
    if (w === '-m' || w === '--match') {
      module = args[++i];
      continue;
    }
    const values: string[] = [];
    while (i + 1 < args.length && !isOption(args[i + 1]) && args[i + 1] !== '!') values.push(args[++i]!);
    options.push({ name: w, values, negated, ...(module ? { module } : {}) });
    negated = false;
  }
  return { options };
}

const STANDARD: Record<string, RuleMatch['kind']> = {
  '-s': 'source',
  '--source': 'source',
  '--src': 'source',
  '-d': 'destination',
  '--destination': 'destination',
  '--dst': 'destination',
  '-i': 'in-interface',
  '--in-interface': 'in-interface',
  '-o': 'out-interface',
  '--out-interface': 'out-interface',
  '-p': 'protocol',
  '--protocol': 'protocol',
};

function toMatch(o: Option, statistic: Map<string, string>): RuleMatch | 'absorbed' {
  const v = o.values[0] ?? '';
  const negated = o.negated;
  const kind = STANDARD[o.name];
  if (kind === 'source' || kind === 'destination') return { kind, cidr: v, negated };
  if (kind === 'in-interface' || kind === 'out-interface') return { kind, name: v, negated };
  if (kind === 'protocol') return { kind, protocol: v.toLowerCase(), negated };
  switch (o.name) {
    case '--sport':
    case '--source-port':
    case '--dport':
    case '--destination-port': {
      const range = parsePortRange(v);
      if (!range) break;
      return { kind: o.name.startsWith('--s') ? 'source-port' : 'destination-port', ports: [range], multiport: false, negated };
    }
    case '--sports':
    case '--source-ports':
    case '--dports':
    case '--destination-ports': {
      const ranges = v.split(',').map(parsePortRange);
      if (ranges.some((r) => !r)) break;
      return { kind: o.name.startsWith('--s') ? 'source-port' : 'destination-port', ports: ranges as PortRange[], multiport: true, negated };
    }
    case '--icmp-type':
      return { kind: 'icmp-type', type: v, negated };
    case '--mark':
      if (o.module === 'mark') return { kind: 'mark', mark: parseMark(v), negated };
      break;
    case '--ctstate':
    case '--state':
      return { kind: 'conntrack-state', states: v.split(','), negated };
    case '--src-type':
    case '--dst-type':
      return { kind: 'address-type', direction: o.name === '--src-type' ? 'source' : 'destination', types: v.split(','), negated };
    case '--comment':
      return { kind: 'comment', text: o.values.join(' '), negated: false };
    case '--physdev-in':
    case '--physdev-out':
      return { kind: 'physdev', test: o.name === '--physdev-in' ? 'in' : 'out', name: v, negated };
    case '--physdev-is-in':
    case '--physdev-is-out':
    case '--physdev-is-bridged':
      return { kind: 'physdev', test: o.name === '--physdev-is-in' ? 'is-in' : o.name === '--physdev-is-out' ? 'is-out' : 'is-bridged', negated };
    case '--mode':
    case '--probability':
    case '--every':
    case '--packet':
      if (o.module === 'statistic') {
        statistic.set(o.name, v);
        return 'absorbed';
      }
      break;
    case '--limit-iface-in':
    case '--limit-iface-out':
      if (o.module === 'addrtype') return 'absorbed';
      break;
  }
  return { kind: 'unknown', ...(o.module ? { module: o.module } : {}), words: [o.name, ...o.values], negated };
}

/** The words after `-A CHAIN` as matches (in order) and a target. */
export function parseRule(args: readonly string[], chains: ReadonlySet<string> = new Set()): ParsedRule {
  const { options, target } = readOptions(args);
  const statistic = new Map<string, string>();
  const matches: RuleMatch[] = [];
  for (const o of options) {
    const m = toMatch(o, statistic);
    if (m !== 'absorbed') matches.push(m);
    // --limit-iface-in/out narrow the address-type match before them
    if (m === 'absorbed' && o.name.startsWith('--limit-iface')) {
      const last = matches.at(-1);
      if (last?.kind === 'address-type') last.limitIface = o.name.endsWith('in') ? 'in' : 'out';
    }
  }
  if (statistic.size > 0) {
    const mode = statistic.get('--mode') === 'nth' ? 'nth' : 'random';
    const num = (k: string) => (statistic.has(k) ? Number(statistic.get(k)) : undefined);
    const [probability, every, packet] = [num('--probability'), num('--every'), num('--packet')];
    matches.push({ kind: 'statistic', mode, ...(probability !== undefined ? { probability } : {}), ...(every !== undefined ? { every } : {}), ...(packet !== undefined ? { packet } : {}), negated: false });
  }
  return { matches, ...(target && target.name ? { target: parseTarget(target.name, target.options, target.goto, chains) } : {}) };
}

const portText = (r: PortRange) => (r.from === r.to ? String(r.from) : `${r.from}:${r.to}`);

/** A match in iptables-save's words (module included), for messages and the map. */
export function matchWords(m: RuleMatch): string[] {
  const not = m.negated ? ['!'] : [];
  switch (m.kind) {
    case 'source':
      return [...not, '-s', m.cidr];
    case 'destination':
      return [...not, '-d', m.cidr];
    case 'in-interface':
      return [...not, '-i', m.name];
    case 'out-interface':
      return [...not, '-o', m.name];
    case 'protocol':
      return [...not, '-p', m.protocol];
    case 'source-port':
    case 'destination-port': {
      const dir = m.kind === 'source-port' ? 's' : 'd';
      return m.multiport ? ['-m', 'multiport', ...not, `--${dir}ports`, m.ports.map(portText).join(',')] : [...not, `--${dir}port`, portText(m.ports[0]!)];
    }
    case 'icmp-type':
      return [...not, '--icmp-type', m.type];
    case 'mark':
      return ['-m', 'mark', ...not, '--mark', `0x${m.mark.value.toString(16)}${m.mark.mask === 0xffffffff ? '' : `/0x${m.mark.mask.toString(16)}`}`];
    case 'conntrack-state':
      return ['-m', 'conntrack', ...not, '--ctstate', m.states.join(',')];
    case 'address-type':
      return ['-m', 'addrtype', ...not, m.direction === 'source' ? '--src-type' : '--dst-type', m.types.join(','), ...(m.limitIface ? [`--limit-iface-${m.limitIface}`] : [])];
    case 'statistic':
      return ['-m', 'statistic', '--mode', m.mode, ...(m.probability !== undefined ? ['--probability', String(m.probability)] : []), ...(m.every !== undefined ? ['--every', String(m.every)] : []), ...(m.packet !== undefined ? ['--packet', String(m.packet)] : [])];
    case 'comment':
      return ['-m', 'comment', '--comment', m.text];
    case 'physdev':
      return ['-m', 'physdev', ...not, `--physdev-${m.test}`, ...(m.name ? [m.name] : [])];
    case 'unknown':
      return [...(m.module ? ['-m', m.module] : []), ...not, ...m.words];
  }
}
