// The step as the learner reads it: the lesson's introduction before its first step, then the
// step's markdown, rendered as lines that fit the screen (prose no wider than MAX_STEP_WIDTH; code
// and tables may use the whole width).
import type { Lesson, Step } from '../../domain/lesson/types.js';
import { MAX_STEP_WIDTH } from './layout.js';
import { renderMarkdownLines } from '../markdown/render-markdown.js';
import { displayWidth, hardWrap } from '../text/styled-text.js';

/** The markdown shown for a step: the lesson's introduction before its first step, then the step. */
export function stepMarkdown(lesson: Lesson, step: Step): string {
  const heading = /^\s*#/.test(step.body) ? '' : `## ${step.title}\n\n`;
  const intro = step.number === 1 && lesson.intro.trim() ? `${lesson.intro.trim()}\n\n` : '';
  return `${intro}${heading}${step.body}`;
}

/** The step's lines for a frame `width` columns wide (the terminal's less one), with a blank line
 *  at the end to set the text off from the checks. A line the renderer left too wide (none should
 *  be) is wrapped, never cut. */
export function renderStepLines(lesson: Lesson, step: Step, width: number): string[] {
  const lines = renderMarkdownLines(stepMarkdown(lesson, step), Math.min(MAX_STEP_WIDTH, width - 1), width - 1);
  return [...lines.flatMap((l) => (displayWidth(l) > width ? hardWrap(l, width) : [l])), ''];
}
