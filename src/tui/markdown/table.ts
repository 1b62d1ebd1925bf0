// A markdown table drawn in a box that fits the width: columns as wide as their content when it
// fits; otherwise narrower, their cells wrapped at word boundaries. Too many columns for the width
// and each row becomes a short record ("heading: value" lines). Pure.
import chalk from 'chalk';
import { displayWidth } from '../text/styled-text.js';
import { wrapWords } from '../text/wrap-words.js';

export interface TableCells {
  /** Cells already rendered as terminal text. */
  header: string[];
  rows: string[][];
}

/** Narrowest a wrapped column may get before records read better. */
const MIN_COLUMN = 8;

/** Shares `room` columns out: a column that needs no more than an even share gets what it needs;
 *  the rest is shared in proportion to what each remaining column would like. */
export function shareColumns(natural: readonly number[], room: number): number[] {
  const widths = natural.map(() => 0);
  let open = natural.map((_, i) => i);
  let left = room;
  for (;;) {
    const share = Math.floor(left / Math.max(1, open.length));
    const fixed = open.filter((i) => natural[i]! <= share);
    if (fixed.length === 0 || open.length === 0) break;
    for (const i of fixed) {
      widths[i] = natural[i]!;
      left -= natural[i]!;
    }
    open = open.filter((i) => !fixed.includes(i));
  }
  const wanted = open.reduce((n, i) => n + natural[i]!, 0);
  for (const i of open) widths[i] = Math.max(1, Math.floor((left * natural[i]!) / Math.max(1, wanted)));
  // what rounding left over goes to the widest
  let spare = room - widths.reduce((a, b) => a + b, 0);
  for (const i of [...open].sort((a, b) => natural[b]! - natural[a]!)) {
    if (spare <= 0) break;
    widths[i]!++;
    spare--;
  }
  return widths;
}

const pad = (s: string, width: number) => s + ' '.repeat(Math.max(0, width - displayWidth(s)));

function drawBox(cells: TableCells, widths: number[]): string[] {
  const rule = (l: string, m: string, r: string) => chalk.dim(`${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`);
  const bar = chalk.dim('│');
  const row = (values: string[], head: boolean) => {
    const wrapped = widths.map((w, i) => wrapWords(values[i] ?? '', w).map((l) => (head ? chalk.bold(l) : l)));
    const height = Math.max(...wrapped.map((c) => c.length));
    return Array.from({ length: height }, (_, r) => `${bar} ${wrapped.map((c, i) => pad(c[r] ?? '', widths[i]!)).join(` ${bar} `)} ${bar}`);
  };
  const lines = [rule('┌', '┬', '┐'), ...row(cells.header, true)];
  for (const values of cells.rows) lines.push(rule('├', '┼', '┤'), ...row(values, false));
  lines.push(rule('└', '┴', '┘'));
  return lines;
}

function drawRecords(cells: TableCells, width: number): string[] {
  const lines: string[] = [];
  cells.rows.forEach((values, r) => {
    if (r > 0) lines.push('');
    cells.header.forEach((head, i) => {
      lines.push(...wrapWords(`${chalk.bold(`${head}:`)} ${values[i] ?? ''}`, width, { indent: '    ' }));
    });
  });
  return lines;
}

export function renderTable(cells: TableCells, width: number): string[] {
  const columns = Math.max(cells.header.length, ...cells.rows.map((r) => r.length));
  if (columns === 0) return [];
  const natural = Array.from({ length: columns }, (_, i) => Math.max(1, ...[cells.header, ...cells.rows].map((r) => displayWidth(r[i] ?? ''))));
  // "│ " before each column, " │" after the last: 3 per column and 1
  const room = width - (3 * columns + 1);
  if (natural.reduce((a, b) => a + b, 0) <= room) return drawBox(cells, natural);
  if (room < MIN_COLUMN * columns) return drawRecords(cells, width);
  const widths = shareColumns(natural, room);
  // a column squeezed below the minimum takes from the widest
  for (let i = 0; i < columns; i++) {
    while (widths[i]! < Math.min(MIN_COLUMN, natural[i]!)) {
      const widest = widths.indexOf(Math.max(...widths));
      if (widest === i || widths[widest]! <= MIN_COLUMN) break;
      widths[widest]!--;
      widths[i]!++;
    }
  }
  return drawBox(cells, widths);
}
