// The checks of a step block: which kind a YAML mapping is, its schema (zod) per kind, and the
// conversion to the Check model. The table in lessons/README.md is the contract.
import { z } from 'zod';
import type { Check, CheckKind } from './types.js';

export const CHECK_KINDS: readonly CheckKind[] = [
  'netns',
  'link',
  'address',
  'route',
  'sysctl',
  'file',
  'rule',
  'policy',
  'reach',
  'listening',
  'shell',
];

const text = (what = 'text') => z.string({ error: what }).min(1, { error: `non-empty ${what}` });
const yes = z.boolean({ error: 'true or false' });
const port = z.coerce
  .number({ error: 'a port number' })
  .int({ error: 'a port number' })
  .min(1, { error: 'a port number 1-65535' })
  .max(65535, { error: 'a port number 1-65535' });
const portText = z.union([z.string(), z.number()], { error: 'a port or range, like 80 or 8000:8080' }).transform(String);
const cidr = z
  .string({ error: 'an address with its prefix length, like 192.168.202.11/24' })
  .regex(/^[0-9a-fA-F:.]+\/\d{1,3}$/, { error: 'an address with its prefix length, like 192.168.202.11/24' });
const address = z
  .string({ error: 'an address, like 192.168.202.11' })
  .regex(/^[0-9a-fA-F:.]+$/, { error: 'an address, like 192.168.202.11 (no prefix length)' });
const regex = z.string({ error: 'a regular expression' }).refine(
  (s) => {
    try {
      new RegExp(s, 'm');
      return true;
    } catch {
      return false;
    }
  },
  { error: 'a valid regular expression' },
);

const base = {
  name: text('a short label shown with ✓/✗'),
  message: text('the sentence shown when the check fails'),
  hint: text('hint text').optional(),
  in: text('a namespace name, host or internet').optional(),
};

const ruleSpec = z.strictObject({
  table: z.enum(['filter', 'nat', 'mangle', 'raw', 'security'], { error: 'a table: filter, nat, mangle, raw or security' }).optional(),
  chain: text('a chain name, like POSTROUTING'),
  target: text('a target, like MASQUERADE').optional(),
  protocol: text('a protocol, like tcp').optional(),
  source: text('an address or CIDR').optional(),
  destination: text('an address or CIDR').optional(),
  in: text('an interface name (prefix ! to negate)').optional(),
  out: text('an interface name (prefix ! to negate)').optional(),
  dport: portText.optional(),
  sport: portText.optional(),
  to: portText.optional(),
  to_ports: portText.optional(),
  match: z.array(z.union([z.string(), z.number()]).transform(String), { error: 'a list of words, like [-m, statistic]' }).optional(),
  count: z.number({ error: 'a whole number' }).int({ error: 'a whole number' }).min(0, { error: 'a whole number' }).optional(),
});

const policySpec = z.strictObject({
  table: ruleSpec.shape.table,
  chain: text('a chain name, like FORWARD'),
  policy: text('a policy: ACCEPT or DROP'),
});

export const checkSchemas = {
  netns: z.strictObject({ ...base, netns: text('a namespace name'), exists: yes.optional() }),
  link: z.strictObject({
    ...base,
    link: text('a link name'),
    exists: yes.optional(),
    type: text('a link type, like veth or bridge').optional(),
    up: yes.optional(),
    master: z.union([text('a bridge name'), z.null()], { error: 'a bridge name, or null for none' }).optional(),
    peer: text('the name of the veth peer').optional(),
    peer_in: text('the namespace of the veth peer').optional(),
  }),
  address: z.strictObject({ ...base, address: cidr, dev: text('a link name').optional(), exists: yes.optional() }),
  route: z.strictObject({
    ...base,
    route: z.union([z.literal('default'), cidr], { error: 'default, or a destination CIDR like 10.200.1.0/24' }),
    via: address.optional(),
    dev: text('a link name').optional(),
    exists: yes.optional(),
  }),
  sysctl: z.strictObject({
    ...base,
    sysctl: text('a sysctl name, like net.ipv4.ip_forward'),
    value: z.union([z.string(), z.number(), z.boolean()], { error: 'the expected value, like "1"' }).transform(String),
  }),
  file: z.strictObject({
    ...base,
    file: z.string({ error: 'an absolute path' }).regex(/^\//, { error: 'an absolute path, like /etc/sysctl.conf' }),
    contains: z.string({ error: 'text the file must contain' }).optional(),
    matches: regex.optional(),
    exists: yes.optional(),
  }),
  rule: z.strictObject({ ...base, rule: ruleSpec }),
  policy: z.strictObject({
    ...base,
    policy: z.union([text('a policy: ACCEPT or DROP'), policySpec], { error: 'a policy (ACCEPT or DROP) with chain: beside it' }),
    table: ruleSpec.shape.table,
    chain: text('a chain name, like FORWARD').optional(),
  }),
  reach: z.strictObject({
    name: base.name,
    message: base.message,
    hint: base.hint,
    reach: address,
    from: text('a namespace name, host or internet').optional(),
    port: port.optional(),
    http: yes.optional(),
    body: z.string({ error: 'text the response must contain' }).optional(),
    path: z.string({ error: 'a URL path, like /' }).regex(/^\//, { error: 'a URL path starting with /' }).optional(),
    fails: yes.optional(),
  }),
  listening: z.strictObject({ ...base, listening: port, address: address.optional() }),
  shell: z.strictObject({ ...base, shell: text('a bash script') }),
} satisfies Record<CheckKind, z.ZodType>;

type Parsed<K extends CheckKind> = z.output<(typeof checkSchemas)[K]>;

/** Builds the Check model from a validated mapping. `null` when the kinds' cross-field rules fail
 *  (returned as the sentence to show). */
export function toCheck(kind: CheckKind, raw: unknown, line: number): Check | string {
  const common = (p: { name: string; message: string; hint?: string | undefined; in?: string | undefined }) => ({
    name: p.name,
    message: p.message,
    ...(p.hint !== undefined ? { hint: p.hint } : {}),
    in: p.in ?? 'host',
    line,
  });
  switch (kind) {
    case 'netns': {
      const p = raw as Parsed<'netns'>;
      return { ...common(p), kind, netns: p.netns, exists: p.exists ?? true };
    }
    case 'link': {
      const p = raw as Parsed<'link'>;
      return {
        ...common(p),
        kind,
        link: p.link,
        exists: p.exists ?? true,
        ...defined({ type: p.type, up: p.up, peer: p.peer, peerIn: p.peer_in }),
        ...(p.master !== undefined ? { master: p.master } : {}),
      };
    }
    case 'address': {
      const p = raw as Parsed<'address'>;
      return { ...common(p), kind, address: p.address, exists: p.exists ?? true, ...defined({ dev: p.dev }) };
    }
    case 'route': {
      const p = raw as Parsed<'route'>;
      return { ...common(p), kind, route: p.route, exists: p.exists ?? true, ...defined({ via: p.via, dev: p.dev }) };
    }
    case 'sysctl': {
      const p = raw as Parsed<'sysctl'>;
      return { ...common(p), kind, sysctl: p.sysctl, value: p.value };
    }
    case 'file': {
      const p = raw as Parsed<'file'>;
      return { ...common(p), kind, file: p.file, exists: p.exists ?? true, ...defined({ contains: p.contains, matches: p.matches }) };
    }
    case 'rule': {
      const p = raw as Parsed<'rule'>;
      const r = p.rule;
      return {
        ...common(p),
        kind,
        rule: {
          table: r.table ?? 'filter',
          chain: r.chain,
          ...defined({
            target: r.target,
            protocol: r.protocol,
            source: r.source,
            destination: r.destination,
            in: r.in,
            out: r.out,
            dport: r.dport,
            sport: r.sport,
            to: r.to,
            toPorts: r.to_ports,
            match: r.match,
            count: r.count,
          }),
        },
      };
    }
    case 'policy': {
      const p = raw as Parsed<'policy'>;
      const spec = typeof p.policy === 'string' ? { table: p.table, chain: p.chain, policy: p.policy } : p.policy;
      if (!spec.chain) return 'expected `chain:` (the chain whose policy is checked) beside `policy:`, found none';
      return { ...common(p), kind, table: spec.table ?? 'filter', chain: spec.chain, policy: spec.policy.toUpperCase() };
    }
    case 'reach': {
      const p = raw as Parsed<'reach'>;
      const http = p.http ?? (p.body !== undefined || p.path !== undefined);
      if (p.http === false && (p.body !== undefined || p.path !== undefined)) {
        return 'expected `http: true` with `body:` or `path:`, found `http: false`';
      }
      return {
        ...common(p),
        in: p.from ?? 'host',
        kind,
        reach: p.reach,
        from: p.from ?? 'host',
        fails: p.fails ?? false,
        ...defined({ port: p.port ?? (http ? 80 : undefined) }),
        ...(http ? { http: { path: p.path ?? '/', ...defined({ body: p.body }) } } : {}),
      };
    }
    case 'listening': {
      const p = raw as Parsed<'listening'>;
      return { ...common(p), kind, port: p.listening, ...defined({ address: p.address }) };
    }
    case 'shell': {
      const p = raw as Parsed<'shell'>;
      return { ...common(p), kind, shell: p.shell };
    }
  }
}

/** Drops the undefined fields (the model has optional fields, never undefined values). */
function defined<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
