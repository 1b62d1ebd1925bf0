// Parses `iptables-save` output into tables, chain policies and rules. Pure.
import { parseRule } from './parse-rule.js';
import type { IptablesRule, IptablesState, IptablesTable } from './snapshot.js';

/** Splits an iptables-save rule line into words: double quotes group (`--comment "a b"`), and
 *  a backslash escapes the next character inside them. */
export function splitRuleWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '\\' && i + 1 < line.length) cur += line[++i];
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') {
      quoted = true;
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) words.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (inWord) words.push(cur);
  return words;
}

/** The backend named in `iptables -V` or the iptables-save header: 'nf_tables' or 'legacy'. */
export function parseIptablesBackend(text: string): string | undefined {
  const m = /iptables(?:-save)? v[\d.]+ \(([\w-]+)\)/.exec(text);
  if (m) return m[1];
  return /iptables(?:-save)? v[\d.]+/.test(text) ? 'legacy' : undefined;
}

export function parseIptablesSave(text: string, fallbackBackend = 'unknown'): IptablesState {
  const tables: Record<string, IptablesTable> = {};
  let table: IptablesTable | undefined;
  let tableName = '';
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (line.startsWith('*')) {
      tableName = line.slice(1);
      table = tables[tableName] ?? { chains: {}, rules: [] };
      tables[tableName] = table;
    } else if (!table || line === '' || line.startsWith('#') || line === 'COMMIT') {
      continue;
    } else if (line.startsWith(':')) {
      const [chain, policy] = line.slice(1).split(' ');
      if (chain) table.chains[chain] = { policy: policy ?? '-' };
    } else if (line.startsWith('-A ')) {
      const words = splitRuleWords(line);
      const chain = words[1] ?? '';
      const rule: IptablesRule = { table: tableName, chain, args: words.slice(2), text: line, matches: [] };
      table.rules.push(rule);
      table.chains[chain] ??= { policy: '-' };
    }
  }
  // read once every chain is known: a target that names one is a jump into it
  for (const t of Object.values(tables)) {
    const chains = new Set(Object.keys(t.chains));
    for (const rule of t.rules) Object.assign(rule, parseRule(rule.args, chains));
  }
  return { backend: parseIptablesBackend(text) ?? fallbackBackend, tables };
}
