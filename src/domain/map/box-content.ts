// The text inside one namespace's box, wrapped to a width. Pure.
import type { MapBox, MapInterface } from './topology.js';

const LOOPBACK_DEFAULTS = new Set(['127.0.0.1/8', '::1/128']);

function peerText(i: MapInterface, box: string): string | undefined {
  if (!i.peer) return undefined;
  const name = i.peer.name ?? '?';
  if (i.peer.namespace === box) return `⇄ ${name}`;
  return `⇄ ${i.peer.namespace ?? '?'}:${name}`;
}

function stateWords(i: MapInterface): string[] {
  const kind = ['veth', 'loopback', 'device', 'bridge'].includes(i.type) ? [] : [i.type];
  return [...kind, i.state === 'up' ? 'up' : i.state === 'down' ? 'DOWN' : 'NO-CARRIER'];
}

/** One logical line as words; the first word is the line's lead (kept whole when it can be). */
type Words = { indent: string; words: string[] };

function interfaceWords(i: MapInterface, box: string): string[] {
  const addresses = i.type === 'loopback' ? i.addresses.filter((a) => !LOOPBACK_DEFAULTS.has(a)) : i.addresses;
  const peer = peerText(i, box);
  return [i.name, ...stateWords(i), ...addresses, ...(peer ? [peer] : [])];
}

export function logicalLines(box: MapBox): Words[] {
  const out: Words[] = [];
  if (box.error) out.push({ indent: '', words: ['unreadable:', ...box.error.split(/\s+/)] });
  for (const i of box.interfaces) out.push({ indent: '', words: interfaceWords(i, box.namespace) });
  for (const b of box.bridges) {
    out.push({ indent: '', words: [b.name, 'bridge', ...interfaceWords(b, box.namespace).slice(1)] });
    b.ports.forEach((p, k) => {
      const lead = k === b.ports.length - 1 ? '└' : '├';
      const words = interfaceWords(p, box.namespace);
      const port = p.portState && p.portState !== 'forwarding' ? [`port:${p.portState}`] : [];
      out.push({ indent: ` ${lead} `, words: [words[0]!, ...port, ...words.slice(1)] });
    });
    if (b.ports.length === 0) out.push({ indent: ' └ ', words: ['(no ports)'] });
  }
  for (const r of box.routes) out.push({ indent: '→ ', words: r.text.split(' ') });
  if (box.forwarding) out.push({ indent: '', words: ['ip_forward', 'on'] });
  for (const n of box.nat) out.push({ indent: 'nat ', words: n.split(' ') });
  return out;
}

function truncate(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** Wraps a logical line: continuation lines are indented two more than the first. */
export function wrapWords(line: Words, width: number): string[] {
  const lines: string[] = [];
  let cur = line.indent;
  const more = ' '.repeat(Math.min(line.indent.length + 2, Math.max(0, width - 8)));
  let empty = true;
  for (const w of line.words) {
    const sep = empty ? '' : ' ';
    if (cur.length + sep.length + w.length <= width) {
      cur += sep + w;
      empty = false;
    } else if (empty) {
      lines.push(truncate(cur + w, width));
      cur = more;
    } else {
      lines.push(cur);
      cur = truncate(more + w, width);
      empty = false;
    }
  }
  if (!empty || lines.length === 0) lines.push(cur);
  return lines.map((l) => truncate(l, width));
}

/** The box's content lines for an inner width. */
export function boxContent(box: MapBox, innerWidth: number): string[] {
  const lines = logicalLines(box).flatMap((l) => wrapWords(l, innerWidth));
  return lines.length ? lines : ['(no interfaces)'];
}

/** The inner width the box needs to show every line unwrapped. */
export function naturalWidth(box: MapBox, title: string): number {
  const widest = Math.max(0, ...logicalLines(box).map((l) => l.indent.length + l.words.join(' ').length));
  return Math.max(widest, title.length + 4);
}
