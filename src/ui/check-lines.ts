// The rows of the checks list: each check with ✓/✗ (or · before the first evaluation), and under
// a failing one its sentence and hint. Pure, so the layout can count the rows before rendering.
import type { Check, CheckResult } from '../core/lesson/types.js';

export type CheckLineTone = 'pass' | 'fail' | 'error' | 'pending' | 'detail' | 'hint';

export interface CheckLine {
  tone: CheckLineTone;
  text: string;
}

/** Word-wraps `text` to `width` columns, every line after an indent. */
function wrapIndented(text: string, width: number, indent: string): string[] {
  const room = Math.max(10, width - indent.length);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > room) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines;
}

export function buildCheckLines(checks: readonly Check[], results: readonly CheckResult[] | undefined, width = Infinity): CheckLine[] {
  const lines: CheckLine[] = [];
  checks.forEach((check, i) => {
    const r = results?.find((x) => x.name === check.name) ?? results?.[i];
    if (!r) {
      lines.push({ tone: 'pending', text: `· ${check.name}` });
      return;
    }
    if (r.status === 'pass') {
      lines.push({ tone: 'pass', text: `✓ ${check.name}` });
      return;
    }
    if (r.status === 'error') {
      lines.push({ tone: 'error', text: `! ${check.name}: could not check (${r.message ?? 'unknown error'})` });
      return;
    }
    lines.push({ tone: 'fail', text: `✗ ${check.name}` });
    for (const text of wrapIndented(r.message ?? check.message, width, '    ')) lines.push({ tone: 'detail', text });
    const hint = r.hint ?? check.hint;
    if (hint) for (const text of wrapIndented(`hint: ${hint}`, width, '    ')) lines.push({ tone: 'hint', text });
  });
  return lines;
}
