// Parses `conntrack -L` lines (the default text format) into entries. Pure.
import type { ConntrackEntry } from './snapshot.js';

type Tuple = ConntrackEntry['original'];

function readTuple(fields: Map<string, string>): Tuple | undefined {
  const src = fields.get('src');
  const dst = fields.get('dst');
  if (!src || !dst) return undefined;
  const t: Tuple = { src, dst };
  const sport = fields.get('sport');
  const dport = fields.get('dport');
  if (sport) t.sport = Number(sport);
  if (dport) t.dport = Number(dport);
  return t;
}

/** One line: `tcp 6 117 SYN_SENT src=.. dst=.. sport=.. dport=.. [UNREPLIED] src=.. ...`. The
 *  second `src=` starts the reply tuple; bracketed words and the TCP state become flags. */
export function parseConntrackLine(line: string): ConntrackEntry | undefined {
  const words = line.trim().split(/\s+/);
  const protocol = words[0];
  if (!protocol || words.length < 4) return undefined;
  const tuples: Array<Map<string, string>> = [new Map()];
  const flags: string[] = [];
  for (const w of words.slice(1)) {
    const eq = w.indexOf('=');
    if (eq > 0) {
      const key = w.slice(0, eq);
      let cur = tuples[tuples.length - 1]!;
      if (key === 'src' && cur.has('src')) {
        cur = new Map();
        tuples.push(cur);
      }
      if (!cur.has(key)) cur.set(key, w.slice(eq + 1));
    } else if (w.startsWith('[') && w.endsWith(']')) {
      flags.push(w.slice(1, -1));
    } else if (/^[A-Z_]+$/.test(w)) {
      flags.push(w);
    }
  }
  const original = readTuple(tuples[0]!);
  const reply = tuples[1] ? readTuple(tuples[1]) : undefined;
  if (!original || !reply) return undefined;
  return { protocol, original, reply, flags, text: line.trim() };
}

export function parseConntrack(text: string): ConntrackEntry[] {
  return text
    .split('\n')
    .map(parseConntrackLine)
    .filter((e): e is ConntrackEntry => e !== undefined);
}
