// Terminal text that may carry colour (SGR escapes): its width in columns, and its pieces. A
// style open at a line break is closed at the end of that line and opened again at the start of
// the next, so every line can be drawn on its own. Pure.

/** One piece of styled text: an escape sequence (no width) or one character. */
export type StyledToken = { kind: 'sgr'; params: string } | { kind: 'char'; text: string; width: number };

const ESCAPE = /\u001b\[([0-9;]*)([A-Za-z])/g;

/** Columns a character takes: 0 for combining marks and zero-width ones, 2 for wide (East Asian,
 *  emoji) ones, 1 otherwise. Close enough to what terminals and Ink agree on for text we print. */
export function charWidth(codePoint: number): number {
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint < 0xa0)) return 0;
  if ((codePoint >= 0x300 && codePoint <= 0x36f) || (codePoint >= 0x200b && codePoint <= 0x200f) || (codePoint >= 0xfe00 && codePoint <= 0xfe0f)) return 0;
  if (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0xa4cf && codePoint !== 0x303f) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1f64f) ||
    (codePoint >= 0x1f900 && codePoint <= 0x1f9ff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  ) {
    return 2;
  }
  return 1;
}

/** The text's pieces in order. Escapes other than colours (cursor moves...) are dropped. */
export function tokenize(text: string): StyledToken[] {
  const tokens: StyledToken[] = [];
  const pushChars = (s: string) => {
    for (const ch of s) tokens.push({ kind: 'char', text: ch, width: charWidth(ch.codePointAt(0)!) });
  };
  let at = 0;
  for (const m of text.matchAll(ESCAPE)) {
    pushChars(text.slice(at, m.index));
    if (m[2] === 'm') tokens.push({ kind: 'sgr', params: m[1]! });
    at = m.index + m[0].length;
  }
  pushChars(text.slice(at));
  return tokens;
}

export function stripStyles(text: string): string {
  return text.replace(ESCAPE, '');
}

/** Columns the text takes on a terminal. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const t of tokenize(text)) if (t.kind === 'char') width += t.width;
  return width;
}

/** Which styles are open: category -> the SGR parameters that opened it. */
export type StyleState = Map<string, string>;

const CLOSES: Record<string, string> = { bold: '22', dim: '22', italic: '23', underline: '24', inverse: '27', hidden: '28', strike: '29', fg: '39', bg: '49' };
const SIMPLE: Record<string, string> = { '1': 'bold', '2': 'dim', '3': 'italic', '4': 'underline', '7': 'inverse', '8': 'hidden', '9': 'strike' };

/** The state after an SGR sequence. */
export function applySgr(state: StyleState, params: string): void {
  const codes = params === '' ? ['0'] : params.split(';');
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    const n = Number(code);
    if (n === 0) state.clear();
    else if (SIMPLE[code]) state.set(SIMPLE[code], code);
    else if (n === 22) {
      state.delete('bold');
      state.delete('dim');
    } else if (n >= 23 && n <= 29) {
      for (const [category, close] of Object.entries(CLOSES)) if (close === code) state.delete(category);
    } else if ((n >= 30 && n <= 37) || (n >= 90 && n <= 97)) state.set('fg', code);
    else if ((n >= 40 && n <= 47) || (n >= 100 && n <= 107)) state.set('bg', code);
    else if (n === 39) state.delete('fg');
    else if (n === 49) state.delete('bg');
    else if (n === 38 || n === 48) {
      const extra = codes[i + 1] === '5' ? 2 : codes[i + 1] === '2' ? 4 : 0;
      state.set(n === 38 ? 'fg' : 'bg', codes.slice(i, i + 1 + extra).join(';'));
      i += extra;
    }
  }
}

/** Escapes that open every style in the state (one per style, as chalk writes them). */
export function openStyles(state: StyleState): string {
  return [...state.values()].map((p) => `\u001b[${p}m`).join('');
}

/** Escapes that close every style in the state. */
export function closeStyles(state: StyleState): string {
  return [...new Set([...state.keys()].map((c) => CLOSES[c]))].map((p) => `\u001b[${p}m`).join('');
}

export function renderToken(t: StyledToken): string {
  return t.kind === 'sgr' ? `\u001b[${t.params}m` : t.text;
}

/** Cuts the text into lines of at most `width` columns, character by character (as a terminal
 *  wraps program output). Each line is complete in itself: styles are reopened. */
export function hardWrap(text: string, width: number): string[] {
  const room = Math.max(1, width);
  const state: StyleState = new Map();
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const t of tokenize(text)) {
    if (t.kind === 'sgr') {
      applySgr(state, t.params);
      line += renderToken(t);
      continue;
    }
    if (used + t.width > room && used > 0) {
      lines.push(line + closeStyles(state));
      line = openStyles(state);
      used = 0;
    }
    line += t.text;
    used += t.width;
  }
  lines.push(line);
  return lines;
}

/** Splits at '\n' into lines that each close the styles they leave open and reopen those still
 *  open from the line before (highlighted code whose string runs over several lines). */
export function splitStyledLines(text: string): string[] {
  const state: StyleState = new Map();
  const lines: string[] = [];
  let line = '';
  for (const t of tokenize(text)) {
    if (t.kind === 'char' && t.text === '\n') {
      lines.push(line + closeStyles(state));
      line = openStyles(state);
      continue;
    }
    if (t.kind === 'sgr') applySgr(state, t.params);
    line += renderToken(t);
  }
  lines.push(line);
  return lines;
}
