// The rows of the checks list: each check with ✓/✗ (or · before the first evaluation), and under
// a failing one its sentence and hint. Pure, so the layout can count the rows before rendering.
import type { Check, CheckResult } from '../core/lesson/types.js';

export type CheckLineTone = 'pass' | 'fail' | 'error' | 'pending' | 'detail' | 'hint';

export interface CheckLine {
  tone: CheckLineTone;
  text: string;
}

export function buildCheckLines(checks: readonly Check[], results: readonly CheckResult[] | undefined): CheckLine[] {
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
    lines.push({ tone: 'detail', text: `    ${r.message ?? check.message}` });
    const hint = r.hint ?? check.hint;
    if (hint) lines.push({ tone: 'hint', text: `    hint: ${hint}` });
  });
  return lines;
}
