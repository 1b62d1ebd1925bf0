// Which rows of the output the pane shows. Following, it shows the newest rows as they arrive;
// scrolled back (or opened at a report's first line) it is pinned to a line, and new output
// does not move it. Lines are numbered as nextLineNumber numbers them (dropped lines count), so a
// pin survives old lines being dropped. Only the rows in view (and those walked over) are wrapped,
// so a long output costs nothing while it is not read. Pure.
import type { OutputLine } from '../../domain/session/output-buffer.js';
import { rowsOfLine, type OutputRow } from './output-rows.js';

export type OutputScroll = { kind: 'follow' } | { kind: 'pinned'; line: number; row: number };

export const FOLLOW: OutputScroll = { kind: 'follow' };

export interface OutputSource {
  lines: readonly OutputLine[];
  /** The number of the first of `lines`. */
  first: number;
  width: number;
}

export interface OutputWindow {
  rows: OutputRow[];
  /** What the pane really does: a pin from which everything to the end fits is following. */
  scroll: OutputScroll;
  /** Whole or partly hidden lines before the first row in view. */
  linesAbove: number;
  /** Lines after the last row in view. */
  linesBelow: number;
}

interface Spot {
  index: number;
  row: number;
}

function rowsAt(source: OutputSource, index: number): string[] {
  const line = source.lines[index]!;
  return rowsOfLine(line, Math.max(1, source.width));
}

function toRows(source: OutputSource, index: number, texts: readonly string[]): OutputRow[] {
  const kind = source.lines[index]!.kind;
  return texts.map((text) => ({ kind, text }));
}

/** The newest `height` rows and where they start. */
function tail(source: OutputSource, height: number): { rows: OutputRow[]; top: Spot } {
  const out: OutputRow[] = [];
  let top: Spot = { index: source.lines.length, row: 0 };
  for (let i = source.lines.length - 1; i >= 0 && out.length < height; i--) {
    const rows = rowsAt(source, i);
    const take = Math.min(rows.length, height - out.length);
    out.unshift(...toRows(source, i, rows.slice(rows.length - take)));
    top = { index: i, row: rows.length - take };
  }
  return { rows: out, top };
}

function clampPin(source: OutputSource, scroll: Extract<OutputScroll, { kind: 'pinned' }>): Spot {
  const index = Math.max(0, Math.min(source.lines.length - 1, scroll.line - source.first));
  return { index, row: index === scroll.line - source.first ? Math.max(0, scroll.row) : 0 };
}

export function outputWindow(source: OutputSource, height: number, scroll: OutputScroll): OutputWindow {
  if (scroll.kind === 'follow' || source.lines.length === 0) {
    const { rows, top } = tail(source, height);
    return { rows, scroll: FOLLOW, linesAbove: top.index + (top.row > 0 ? 1 : 0), linesBelow: 0 };
  }
  const start = clampPin(source, scroll);
  const out: OutputRow[] = [];
  let index = start.index;
  let row = start.row;
  let lastInView = start.index;
  // one row more than fits tells whether anything is left below
  while (index < source.lines.length && out.length <= height) {
    const rows = rowsAt(source, index);
    if (out.length < height) lastInView = index;
    out.push(...toRows(source, index, rows.slice(Math.min(row, rows.length - 1))));
    index++;
    row = 0;
  }
  if (out.length <= height) return outputWindow(source, height, FOLLOW);
  return {
    rows: out.slice(0, height),
    scroll: { kind: 'pinned', line: start.index + source.first, row: start.row },
    linesAbove: start.index + (start.row > 0 ? 1 : 0),
    linesBelow: source.lines.length - 1 - lastInView,
  };
}

/** The scroll `delta` rows earlier (negative) or later (positive) than `scroll`. */
export function scrollOutput(source: OutputSource, height: number, scroll: OutputScroll, delta: number): OutputScroll {
  if (source.lines.length === 0) return FOLLOW;
  let spot = scroll.kind === 'follow' ? tail(source, height).top : clampPin(source, scroll);
  if (spot.index >= source.lines.length) return FOLLOW;
  let left = Math.abs(delta);
  if (delta < 0) {
    while (left > 0 && (spot.index > 0 || spot.row > 0)) {
      if (spot.row > 0) spot = { index: spot.index, row: spot.row - 1 };
      else spot = { index: spot.index - 1, row: rowsAt(source, spot.index - 1).length - 1 };
      left--;
    }
  } else {
    while (left > 0 && spot.index < source.lines.length) {
      const count = rowsAt(source, spot.index).length;
      spot = spot.row + 1 < count ? { index: spot.index, row: spot.row + 1 } : { index: spot.index + 1, row: 0 };
      left--;
    }
    if (spot.index >= source.lines.length) return FOLLOW;
  }
  return outputWindow(source, height, { kind: 'pinned', line: spot.index + source.first, row: spot.row }).scroll;
}

/** The oldest line kept, at the top of the pane. */
export function outputStart(source: OutputSource): OutputScroll {
  return { kind: 'pinned', line: source.first, row: 0 };
}
