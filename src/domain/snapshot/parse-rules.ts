// Parses `ip -j rule show` entries into policy routing rules, each with the words `ip rule show`
// prints for it (for evidence, and for the `ip rule del` that removes it). Pure.
import type { RoutingRule } from './snapshot.js';

type Json = Record<string, unknown>;

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

/** An address with its prefix length as ip prints it: bare for a host, 'all' for none. */
function prefix(addr: string | undefined, len: unknown): string | undefined {
  if (!addr || addr === 'all') return undefined;
  return typeof len === 'number' && len !== 32 ? `${addr}/${len}` : addr;
}

function range(j: Json, key: 'sport' | 'dport'): string | undefined {
  const single = str(j[key]);
  if (single !== undefined) return single;
  const start = str(j[`${key}_start`]);
  const end = str(j[`${key}_end`]);
  return start === undefined ? undefined : start === end || end === undefined ? start : `${start}-${end}`;
}

export function parseRule(j: Json): RoutingRule {
  const rule: RoutingRule = { priority: typeof j.priority === 'number' ? j.priority : 0, action: 'lookup', spec: '' };
  const words: string[] = [];
  if ('not' in j) {
    rule.not = true;
    words.push('not');
  }
  const from = prefix(str(j.src), j.srclen);
  if (from) rule.from = from;
  words.push(`from ${from ?? 'all'}`);
  const to = prefix(str(j.dst), j.dstlen);
  if (to) {
    rule.to = to;
    words.push(`to ${to}`);
  }
  // the rest in the order ip prints them; what the walk cannot judge is kept in `other` too
  const other: string[] = [];
  const note = (w: string) => {
    other.push(w);
    words.push(w);
  };
  if (str(j.tos)) note(`tos ${str(j.tos)}`);
  if (str(j.dsfield)) note(`dsfield ${str(j.dsfield)}`);
  const fwmark = str(j.fwmark);
  if (fwmark) {
    rule.fwmark = j.fwmask !== undefined ? `${fwmark}/${str(j.fwmask)}` : fwmark;
    words.push(`fwmark ${rule.fwmark}`);
  }
  const iif = str(j.iif);
  if (iif) {
    rule.iif = iif;
    if (j.iif_detached) rule.iifDetached = true;
    words.push(`iif ${iif}${j.iif_detached ? ' [detached]' : ''}`);
  }
  const oif = str(j.oif);
  if (oif) {
    rule.oif = oif;
    words.push(`oif ${oif}${j.oif_detached ? ' [detached]' : ''}`);
  }
  if ('l3mdev' in j) note('l3mdev');
  if (j.uid_start !== undefined) note(`uidrange ${str(j.uid_start)}-${str(j.uid_end)}`);
  const ipproto = str(j.ipproto);
  if (ipproto) {
    rule.ipproto = ipproto;
    words.push(`ipproto ${ipproto}`);
  }
  for (const key of ['sport', 'dport'] as const) {
    const r = range(j, key);
    if (r !== undefined) {
      rule[key] = r;
      words.push(`${key} ${r}`);
    }
  }
  if (j.tun_id !== undefined) note(`tun_id ${str(j.tun_id)}`);
  if (other.length) rule.other = other;
  const action = str(j.action);
  if (j.goto !== undefined) {
    rule.action = 'goto';
    rule.goto = Number(j.goto);
    words.push(`goto ${rule.goto}`);
  } else if ('nop' in j) {
    rule.action = 'nop';
    words.push('nop');
  } else if (action) {
    rule.action = action;
    words.push(action);
  } else {
    rule.table = str(j.table) ?? 'main';
    words.push(`lookup ${rule.table}`);
    const suppress = j.suppress_prefixlen;
    if (typeof suppress === 'number') {
      rule.suppressPrefixlength = suppress;
      words.push(`suppress_prefixlength ${suppress}`);
    }
  }
  rule.spec = words.join(' ');
  return rule;
}
