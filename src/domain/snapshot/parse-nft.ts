// Parses `nft -j list ruleset` into chains (base chains with hook, priority and policy) and rules
// read coarsely: their tests as key/operator/values, and what they do. What it cannot read stays
// visible as a test with no values, so the walk knows it cannot judge that rule. Pure.
import type { NftChain, NftMatch, NftRule, NftState } from './snapshot.js';

type Json = Record<string, unknown>;

function obj(v: unknown): Json | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}
function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

// priorities nft may print by name (ip, ip6 and inet families)
const PRIORITY: Record<string, number> = { raw: -300, mangle: -150, dstnat: -100, filter: 0, security: 50, srcnat: 100 };

/** One value of a right-hand side as text; undefined when it is not a plain value. */
function valueText(v: unknown): string | undefined {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  const o = obj(v);
  const prefix = obj(o?.prefix);
  if (prefix && str(prefix.addr) !== undefined) return `${String(prefix.addr)}/${String(prefix.len)}`;
  if (Array.isArray(o?.range) && o.range.length === 2) {
    const [a, b] = o.range.map(valueText);
    return a !== undefined && b !== undefined ? `${a}-${b}` : undefined;
  }
  // a set element with options (timeout, counter): its value
  if (o?.elem !== undefined) return valueText(obj(o.elem)?.val ?? o.elem);
  return undefined;
}

/** The alternatives of a right-hand side; undefined when any of them is not understood. */
function valuesOf(right: unknown): string[] | undefined {
  const o = obj(right);
  const list = Array.isArray(right) ? right : Array.isArray(o?.set) ? (o.set as unknown[]) : [right];
  const out = list.map(valueText);
  return out.every((v): v is string => v !== undefined) ? out : undefined;
}

function keyOf(left: unknown): string {
  const o = obj(left);
  if (!o) return String(left);
  const meta = obj(o.meta);
  if (meta) {
    const k = String(meta.key);
    return ['iifname', 'oifname', 'iif', 'oif'].includes(k) ? k : `meta ${k}`;
  }
  const payload = obj(o.payload);
  if (payload) return payload.protocol !== undefined ? `${String(payload.protocol)} ${String(payload.field)}` : 'payload';
  const ct = obj(o.ct);
  if (ct) return ct.dir !== undefined ? `ct ${String(ct.dir)} ${String(ct.key)}` : `ct ${String(ct.key)}`;
  return Object.keys(o)[0] ?? '?';
}

function matchText(m: NftMatch, shown: string[] | undefined): string {
  const quote = ['iifname', 'oifname', 'iif', 'oif'].includes(m.key) ? (v: string) => `"${v}"` : (v: string) => v;
  const vals = shown ?? m.values;
  // flags read as a list (ct state established,related); other alternatives as a set
  const list = m.key === 'ct state' || m.key === 'ct status' ? vals.join(',') : undefined;
  const right = vals.length === 0 ? '?' : list ?? (vals.length === 1 ? quote(vals[0]!) : `{ ${vals.map(quote).join(', ')} }`);
  return `${m.key} ${m.op === '==' ? '' : `${m.op} `}${right}`;
}

const VERDICTS = ['accept', 'drop', 'reject', 'return', 'continue', 'queue'];
const NATS = ['masquerade', 'snat', 'dnat', 'redirect'];
// statements that do not decide anything about the packet's way
const PASSIVE = new Set(['counter', 'log', 'mangle', 'set', 'map', 'notrack', 'ct', 'meter', 'dup', 'fwd', 'synproxy', 'tproxy', 'secmark', 'flow', 'xt']);

function natTo(v: unknown): NftRule['to'] {
  const o = obj(v);
  const to: NonNullable<NftRule['to']> = {};
  if (str(o?.addr)) to.address = String(o!.addr);
  if (typeof o?.port === 'number') to.port = o.port;
  return to;
}

function parseRule(j: Json, sets: Map<string, string[]>): NftRule {
  const family = String(j.family);
  const table = String(j.table);
  const rule: NftRule = { family, table, chain: String(j.chain), handle: typeof j.handle === 'number' ? j.handle : 0, matches: [], text: '' };
  const words: string[] = [];
  for (const e of Array.isArray(j.expr) ? j.expr : []) {
    const o = obj(e);
    const name = o ? Object.keys(o)[0] : undefined;
    if (!o || !name) continue;
    const body = o[name];
    if (name === 'match') {
      const m = obj(body) ?? {};
      const raw = valuesOf(m.right);
      const op = m.op === 'in' ? '==' : String(m.op ?? '==');
      // a named set: its elements when it was listed (nft lists sets before the rules using them)
      const setName = raw?.length === 1 && raw[0]!.startsWith('@') ? raw[0]!.slice(1) : undefined;
      const values = setName !== undefined ? (sets.get(`${family} ${table} ${setName}`) ?? raw!) : (raw ?? []);
      const match: NftMatch = { key: keyOf(m.left), op, values };
      rule.matches.push(match);
      words.push(matchText(match, raw));
    } else if (VERDICTS.includes(name)) {
      rule.action ??= name;
      words.push(name);
    } else if (name === 'jump' || name === 'goto') {
      rule.action ??= name;
      rule.target ??= str(obj(body)?.target);
      words.push(`${name} ${str(obj(body)?.target) ?? '?'}`);
    } else if (NATS.includes(name)) {
      rule.action ??= name;
      const to = natTo(body);
      if (to && (to.address !== undefined || to.port !== undefined)) rule.to ??= to;
      const where = to?.address !== undefined || to?.port !== undefined ? ` to ${to?.address ?? ''}${to?.port !== undefined ? `:${to.port}` : ''}` : '';
      words.push(`${name}${where}`);
    } else if (name === 'xt' && obj(body)?.type === 'target') {
      rule.action ??= `xt ${String(obj(body)?.name)}`;
      words.push(`xt target ${String(obj(body)?.name)}`);
    } else if (name === 'vmap') {
      // a verdict map: the verdict depends on a lookup the walk does not do
      rule.matches.push({ key: 'vmap', op: '==', values: [] });
      rule.action ??= 'vmap';
      words.push(`${keyOf(obj(body)?.key)} vmap { ... }`);
    } else if (name === 'notrack') {
      // decides nothing about the way, but takes the packet out of conntrack, and so out of NAT
      rule.action ??= 'notrack';
      words.push('notrack');
    } else if (PASSIVE.has(name)) {
      if (name === 'log') words.push('log');
      else if (name === 'xt') {
        rule.matches.push({ key: `xt ${String(obj(body)?.name)}`, op: '==', values: [] });
        words.push(`xt match ${String(obj(body)?.name)}`);
      }
    } else {
      // limit, quota, connlimit and anything newer: a test the walk cannot judge
      rule.matches.push({ key: name, op: '==', values: [] });
      words.push(`${name} ...`);
    }
  }
  rule.text = words.join(' ');
  return rule;
}

function parseChain(j: Json): NftChain {
  const chain: NftChain = { family: String(j.family), table: String(j.table), name: String(j.name) };
  if (str(j.hook)) {
    chain.hook = String(j.hook);
    if (str(j.type)) chain.type = String(j.type);
    chain.priority = typeof j.prio === 'number' ? j.prio : (PRIORITY[String(j.prio)] ?? 0);
    chain.policy = str(j.policy) ?? 'accept';
    const dev = Array.isArray(j.dev) ? j.dev[0] : j.dev;
    if (typeof dev === 'string') chain.device = dev;
  }
  return chain;
}

/** The whole ruleset; undefined when the text is not nft's JSON. */
export function parseNftRuleset(text: string): NftState | undefined {
  let top: unknown;
  try {
    top = JSON.parse(text.trim() || 'null');
  } catch {
    return undefined;
  }
  const items = obj(top)?.nftables;
  if (!Array.isArray(items)) return undefined;
  const state: NftState = { chains: [], rules: [] };
  const sets = new Map<string, string[]>();
  for (const item of items) {
    const o = obj(item);
    if (!o) continue;
    const set = obj(o.set);
    if (set) {
      const elems = Array.isArray(set.elem) ? valuesOf(set.elem) : [];
      if (elems) sets.set(`${String(set.family)} ${String(set.table)} ${String(set.name)}`, elems);
    }
    const chain = obj(o.chain);
    if (chain) state.chains.push(parseChain(chain));
    const rule = obj(o.rule);
    if (rule) state.rules.push(parseRule(rule, sets));
  }
  return state;
}
