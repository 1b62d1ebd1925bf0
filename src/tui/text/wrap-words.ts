// Word wrapping for styled terminal text: lines break at spaces, never inside a word unless the
// word alone is wider than the line. Pure.
import { applySgr, closeStyles, displayWidth, openStyles, renderToken, tokenize, type StyleState, type StyledToken } from './styled-text.js';

export interface WrapOptions {
  /** Put before the first line (its width counts towards the line's). */
  firstIndent?: string;
  /** Put before every later line. */
  indent?: string;
}

type Item = { kind: 'word'; tokens: StyledToken[]; width: number } | { kind: 'break' };

/** Splits into words (runs of spaces separate them) and hard breaks ('\n'). Escapes between
 *  words go with the word after them; at the very end, with the last word. */
function itemsOf(text: string): Item[] {
  const items: Item[] = [];
  let word: Extract<Item, { kind: 'word' }> | undefined;
  let pending: StyledToken[] = [];
  const end = () => {
    if (word) items.push(word);
    word = undefined;
  };
  for (const t of tokenize(text)) {
    if (t.kind === 'sgr') {
      if (word) word.tokens.push(t);
      else pending.push(t);
    } else if (t.text === ' ' || t.text === '\t') end();
    else if (t.text === '\n') {
      end();
      items.push({ kind: 'break' });
    } else {
      word ??= { kind: 'word', tokens: [], width: 0 };
      word.tokens.push(...pending, t);
      pending = [];
      word.width += t.width;
    }
  }
  end();
  if (pending.length) {
    const last = [...items].reverse().find((i) => i.kind === 'word');
    if (last && last.kind === 'word') last.tokens.push(...pending);
    else items.push({ kind: 'word', tokens: pending, width: 0 });
  }
  return items;
}

/** Wraps `text` to lines of at most `width` columns, indents included. '\n' breaks a line; runs
 *  of spaces become one. Every line closes the styles it opened and reopens those still open. */
export function wrapWords(text: string, width: number, opts: WrapOptions = {}): string[] {
  const firstIndent = opts.firstIndent ?? '';
  const indent = opts.indent ?? '';
  const lines: string[] = [];
  const state: StyleState = new Map();
  let startState: StyleState = new Map();
  let line = '';
  let used = 0;
  const room = () => Math.max(1, width - displayWidth(lines.length === 0 ? firstIndent : indent));
  const flush = () => {
    lines.push(`${lines.length === 0 ? firstIndent : indent}${openStyles(startState)}${line}${closeStyles(state)}`);
    startState = new Map(state);
    line = '';
    used = 0;
  };
  const emit = (t: StyledToken) => {
    if (t.kind === 'sgr') applySgr(state, t.params);
    else used += t.width;
    line += renderToken(t);
  };
  for (const item of itemsOf(text)) {
    if (item.kind === 'break') {
      flush();
      continue;
    }
    if (used > 0 && used + 1 + item.width <= room()) {
      line += ' ';
      used += 1;
      for (const t of item.tokens) emit(t);
      continue;
    }
    if (used > 0) flush();
    if (item.width <= room()) {
      for (const t of item.tokens) emit(t);
      continue;
    }
    // wider than a whole line: break it where the line is full
    for (const t of item.tokens) {
      if (t.kind === 'char' && used > 0 && used + t.width > room()) flush();
      emit(t);
    }
  }
  if (line !== '' || lines.length === 0) flush();
  return lines;
}
