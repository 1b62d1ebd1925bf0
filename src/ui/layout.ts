// How the screen's rows are shared: header, step text, checks, output, status, prompt, help bar.
// Pure; the frame is one row shorter than the terminal so Ink redraws in place instead of
// clearing the whole screen on every update.

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 20;

/** Rows that never change: header, rule, status, prompt, help bar, and the spare last row. */
const FIXED_ROWS = 6;

export interface LayoutInput {
  columns: number;
  rows: number;
  stepLines: number;
  checkLines: number;
}

export type Layout =
  | { kind: 'too-small'; columns: number; rows: number }
  | { kind: 'normal'; width: number; stepRows: number; checkRows: number; outputRows: number };

export function planLayout({ columns, rows, stepLines, checkLines }: LayoutInput): Layout {
  if (columns < MIN_COLUMNS || rows < MIN_ROWS) return { kind: 'too-small', columns, rows };
  const checkRows = Math.min(checkLines, Math.floor(rows * 0.35));
  const room = rows - FIXED_ROWS - checkRows;
  // the step is what the learner reads first: it gets most of the room, the output keeps at least 6
  const stepRows = Math.max(3, Math.min(stepLines, room - 6, Math.max(6, Math.floor(room * 0.66))));
  const outputRows = Math.max(3, room - stepRows);
  return { kind: 'normal', width: columns, stepRows: room - outputRows, checkRows, outputRows };
}

/** The terminal rows the tail of `lines` needs at `width`, newest last, at most `rows`. */
export function tailRows<T extends { text: string }>(lines: readonly T[], width: number, rows: number): Array<T & { text: string }> {
  const out: Array<T & { text: string }> = [];
  for (let i = lines.length - 1; i >= 0 && out.length < rows; i--) {
    const line = lines[i]!;
    const pieces: string[] = [];
    const chars = Array.from(line.text);
    if (chars.length === 0) pieces.push('');
    for (let at = 0; at < chars.length; at += width) pieces.push(chars.slice(at, at + width).join(''));
    for (let p = pieces.length - 1; p >= 0 && out.length < rows; p--) out.push({ ...line, text: pieces[p]! });
  }
  return out.reverse();
}
