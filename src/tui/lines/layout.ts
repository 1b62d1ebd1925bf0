// How the screen's rows are shared: header, step text, checks, output, status, prompt, help bar.
// The step is what the learner reads first: it gets every row the output does not use yet; the
// output grows as output arrives, up to its share. Pure; the frame is one row shorter than the
// terminal so Ink redraws in place instead of clearing the whole screen on every update.

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 20;

/** The step's prose is set no wider than this, however wide the terminal: long lines are hard to
 *  read (its code and tables, the checks and the output still use the whole width). */
export const MAX_STEP_WIDTH = 120;

/** Rows that never change: header, rule, prompt, help bar, and the spare last row. */
const FIXED_ROWS = 5;
/** The status line wraps rather than cut its sentence, up to this many rows. */
export const MAX_STATUS_ROWS = 3;
/** The output area never shrinks below this (a note or the sandbox's readiness stays in view). */
const MIN_OUTPUT_ROWS = 2;

export interface LayoutInput {
  columns: number;
  rows: number;
  stepLines: number;
  checkLines: number;
  /** Rows the output has to show (it may have more than fit). */
  outputLines: number;
  /** Rows the status sentence takes at this width. */
  statusLines?: number;
}

export type Layout =
  | { kind: 'too-small'; columns: number; rows: number }
  | { kind: 'normal'; width: number; stepRows: number; checkRows: number; outputRows: number; statusRows: number };

/** The most rows the output may take from the step: about a third of what the two share. */
export function outputShare(room: number): number {
  return Math.max(MIN_OUTPUT_ROWS, room - Math.max(6, Math.floor(room * 0.66)));
}

export function planLayout({ columns, rows, stepLines, checkLines, outputLines, statusLines = 1 }: LayoutInput): Layout {
  if (columns < MIN_COLUMNS || rows < MIN_ROWS) return { kind: 'too-small', columns, rows };
  const statusRows = Math.max(1, Math.min(MAX_STATUS_ROWS, statusLines));
  const checkRows = Math.min(checkLines, Math.floor(rows * 0.35));
  const room = rows - FIXED_ROWS - statusRows - checkRows;
  const wanted = Math.max(MIN_OUTPUT_ROWS, Math.min(outputLines, outputShare(room)));
  // a short step leaves the rest to the output
  const stepRows = Math.max(3, Math.min(stepLines, room - wanted));
  return { kind: 'normal', width: columns, stepRows, checkRows, outputRows: room - stepRows, statusRows };
}
