// Long code lines wrapped so that nothing is cut and it stays clear where a line goes on. A shell
// line breaks at a space outside quotes and ends in ` \` (the shell's own line continuation: the
// text still runs as one command) and goes on indented; a comment goes on as a comment; other
// languages and here-document bodies go on after a `↪`. Pure; plain text in, plain text out.
import { charWidth, displayWidth } from './styled-text.js';

export type CodeFlavour = 'shell' | 'other';

interface Slot {
  ch: string;
  width: number;
  /** Inside quotes: a break there would change the string. */
  quoted: boolean;
  /** Part of a `#` comment. */
  comment: boolean;
}

function slotsOf(line: string, flavour: CodeFlavour): Slot[] {
  const slots: Slot[] = [];
  let quote: '' | "'" | '"' = '';
  let comment = false;
  let escaped = false;
  for (const ch of line) {
    if (flavour === 'shell' && !comment) {
      if (escaped) escaped = false;
      else if (ch === '\\' && quote !== "'") escaped = true;
      else if (quote && ch === quote) quote = '';
      else if (!quote && (ch === "'" || ch === '"')) quote = ch;
      else if (!quote && ch === '#' && (slots.length === 0 || /\s/.test(slots[slots.length - 1]!.ch))) comment = true;
    }
    slots.push({ ch, width: charWidth(ch.codePointAt(0)!), quoted: quote !== '', comment });
  }
  return slots;
}

const widthOf = (slots: readonly Slot[], from: number, to: number) => slots.slice(from, to).reduce((w, s) => w + s.width, 0);
const textOf = (slots: readonly Slot[], from: number, to = slots.length) => slots.slice(from, to).map((s) => s.ch).join('');

/** The last space in (from, to] at which the text from `from` still fits `room` columns. */
function lastBreak(slots: readonly Slot[], from: number, room: number, allowQuoted: boolean): number | undefined {
  let best: number | undefined;
  let used = 0;
  for (let i = from; i < slots.length; i++) {
    const s = slots[i]!;
    if (s.ch === ' ' && i > from && slots[i - 1]!.ch !== ' ' && (allowQuoted || !s.quoted)) best = i;
    used += s.width;
    if (used > room) break;
  }
  return best;
}

/** One source line as display lines of at most `width` columns. */
export function wrapCodeLine(line: string, width: number, flavour: CodeFlavour): string[] {
  if (displayWidth(line) <= width) return [line];
  const slots = slotsOf(line, flavour);
  const lead = /^\s*/.exec(line)![0];
  const out: string[] = [];
  let start = 0;
  let prefix = '';
  while (displayWidth(prefix) + widthOf(slots, start, slots.length) > width) {
    const marker = flavour === 'shell' && !slots[start]?.comment ? 2 : 0;
    const room = Math.max(1, width - displayWidth(prefix) - marker);
    const at = lastBreak(slots, start, room, false) ?? lastBreak(slots, start, room, true);
    if (at === undefined) {
      // no space to break at: cut the word, and say it goes on
      let used = 0;
      let end = start;
      const cutRoom = Math.max(1, width - displayWidth(prefix) - 1);
      while (end < slots.length && (end === start || used + slots[end]!.width <= cutRoom)) used += slots[end++]!.width;
      out.push(`${prefix}${textOf(slots, start, end)}${flavour === 'shell' && !slots[start]!.comment ? '\\' : ''}`);
      prefix = flavour === 'shell' ? `${lead}  ` : `${lead}↪ `;
      start = end;
      continue;
    }
    const inComment = slots[at]!.comment;
    const piece = textOf(slots, start, at).trimEnd();
    if (flavour !== 'shell') {
      out.push(`${prefix}${piece}`);
      prefix = `${lead}↪ `;
    } else if (inComment) {
      out.push(`${prefix}${piece}`);
      prefix = `${lead}  # `;
    } else {
      out.push(`${prefix}${piece} \\`);
      prefix = `${lead}  `;
    }
    start = at;
    while (start < slots.length && slots[start]!.ch === ' ') start++;
  }
  out.push(`${prefix}${textOf(slots, start)}`);
  return out;
}

/** A here-document's end word, if this shell line starts one. */
function hereDocEnd(line: string): { word: string; tabs: boolean } | undefined {
  const m = /<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/.exec(line);
  return m ? { word: m[3]!, tabs: m[1] === '-' } : undefined;
}

/** A code block's lines at `width` columns. In shell code a here-document's body is data, so it
 *  is wrapped as `other` text (a ` \` there would change the file it writes). */
export function wrapCode(code: string, width: number, flavour: CodeFlavour): string[] {
  const out: string[] = [];
  let hereDoc: { word: string; tabs: boolean } | undefined;
  for (const line of code.replace(/\n$/, '').split('\n')) {
    if (hereDoc) {
      if ((hereDoc.tabs ? line.replace(/^\t+/, '') : line) === hereDoc.word) {
        hereDoc = undefined;
        out.push(line);
      } else out.push(...wrapCodeLine(line, width, 'other'));
      continue;
    }
    out.push(...wrapCodeLine(line, width, flavour));
    if (flavour === 'shell') hereDoc = hereDocEnd(line);
  }
  return out;
}
