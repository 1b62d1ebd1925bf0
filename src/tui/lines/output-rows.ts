// The output area's rows: the newest lines of the output, each wrapped to the width the way its
// kind reads best. The tutor's own words (notes, hints) wrap at word boundaries with their inline
// markdown rendered; a solution wraps as code; a program's output and drawings (the map) wrap
// where the terminal would, at the last column. Pure.
import type { OutputKind, OutputLine } from '../../domain/session/output-buffer.js';
import { renderInlineMarkdown } from '../markdown/inline.js';
import { hardWrap } from '../text/styled-text.js';
import { wrapCode } from '../text/wrap-code.js';
import { wrapWords } from '../text/wrap-words.js';

export interface OutputRow {
  kind: OutputKind;
  text: string;
}

const PROSE: ReadonlySet<OutputKind> = new Set(['note', 'hint', 'success']);

/** Word-wrapped, keeping the line's own indentation. */
function wrapProse(text: string, width: number): string[] {
  const lead = /^ */.exec(text)![0];
  return wrapWords(text.slice(lead.length), width, { firstIndent: lead, indent: lead });
}

/** One output line as the rows it takes at `width`. */
export function rowsOfLine(line: OutputLine, width: number): string[] {
  if (line.text === '') return [''];
  if (PROSE.has(line.kind)) return wrapProse(renderInlineMarkdown(line.text), width);
  if (line.kind === 'error') return wrapProse(line.text, width);
  if (line.kind === 'code') return wrapCode(line.text, width, 'shell');
  return hardWrap(line.text, width);
}

/** The rows of the newest lines, oldest first, at most `max` of them. */
export function outputRows(lines: readonly OutputLine[], width: number, max: number): OutputRow[] {
  const out: OutputRow[] = [];
  for (let i = lines.length - 1; i >= 0 && out.length < max; i--) {
    const line = lines[i]!;
    const rows = rowsOfLine(line, Math.max(1, width));
    for (let r = rows.length - 1; r >= 0 && out.length < max; r--) out.push({ kind: line.kind, text: rows[r]! });
  }
  return out.reverse();
}
