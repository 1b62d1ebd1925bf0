// The rows of the checks list: each check with ✓/✗ (or · before the first evaluation), and under
// a failing one its sentence, the evidence (what the kernel has, and where: the same line
// `netns-tutor check` prints) and the hint, their inline markdown rendered as in the step text and
// wrapped at word boundaries. Pure, so the layout can count the rows before rendering.
import type { Check, CheckResult } from '../../domain/lesson/types.js';
import { renderInlineMarkdown } from '../markdown/inline.js';
import { wrapWords } from '../text/wrap-words.js';

export type CheckLineTone = 'pass' | 'fail' | 'error' | 'pending' | 'detail' | 'evidence' | 'hint';

export interface CheckLine {
  tone: CheckLineTone;
  text: string;
}

const DETAIL_INDENT = '    ';

function lines(tone: CheckLineTone, text: string, width: number, firstIndent: string, indent: string): CheckLine[] {
  return wrapWords(renderInlineMarkdown(text), width, { firstIndent, indent }).map((t) => ({ tone, text: t }));
}

export function buildCheckLines(checks: readonly Check[], results: readonly CheckResult[] | undefined, width = Infinity): CheckLine[] {
  const out: CheckLine[] = [];
  checks.forEach((check, i) => {
    const r = results?.find((x) => x.name === check.name) ?? results?.[i];
    if (!r) {
      out.push(...lines('pending', check.name, width, '· ', '  '));
      return;
    }
    if (r.status === 'pass') {
      out.push(...lines('pass', check.name, width, '✓ ', '  '));
      return;
    }
    if (r.status === 'error') {
      out.push(...lines('error', `${check.name}: could not check (${r.message ?? 'unknown error'})`, width, '! ', '  '));
      return;
    }
    out.push(...lines('fail', check.name, width, '✗ ', '  '));
    out.push(...lines('detail', r.message ?? check.message, width, DETAIL_INDENT, DETAIL_INDENT));
    // the kernel's own words: wrapped, never read as markdown
    for (const e of r.evidence?.trimEnd().split('\n') ?? []) {
      out.push(...wrapWords(e, width, { firstIndent: DETAIL_INDENT, indent: `${DETAIL_INDENT}  ` }).map((t) => ({ tone: 'evidence' as const, text: t })));
    }
    const hint = r.hint ?? check.hint;
    if (hint) out.push(...lines('hint', `hint: ${hint}`, width, DETAIL_INDENT, DETAIL_INDENT));
  });
  return out;
}
