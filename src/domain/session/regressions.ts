// Steps that stop holding after they were done: an earlier step of the current lesson (its state
// checks are evaluated with the current step's) or the completed current step itself. The tutor
// says so, with the failing checks and their evidence, and says so again when it holds again;
// it never takes the learner back. Pure.
import type { CheckResult, Step } from '../lesson/types.js';
import { lessonAt, stepAt, stepKey } from './course-position.js';
import { appendLines, closePartial, nextLineNumber } from './output-buffer.js';
import type { EarlierEvaluation, SessionState } from './types.js';

/** The steps before the current one in its lesson that the learner passed or skipped: the ones
 *  whose breaking is worth a word. */
export function watchedEarlierSteps(state: SessionState): string[] {
  const lesson = lessonAt(state.course, state.position);
  return lesson.steps
    .slice(0, state.position.stepIndex)
    .filter((s) => state.completed[stepKey(lesson.id, s.id)] !== undefined)
    .map((s) => s.id);
}

/** The failing checks as the output shows them: the sentence, then the evidence under it. */
export function failureLines(results: readonly CheckResult[]): string[] {
  return results
    .filter((r) => r.status !== 'pass')
    .flatMap((r) => [`  ✗ ${r.name}${r.message ? `: ${r.message}` : ''}`, ...(r.evidence ? r.evidence.trimEnd().split('\n').map((e) => `      ${e}`) : [])]);
}

function stepLabel(step: Step): string {
  return `Step ${step.number} (${step.title})`;
}

/** The output and notice after a step stopped holding. */
function sayStopped(state: SessionState, step: Step, results: readonly CheckResult[], current: boolean): SessionState {
  const closed = closePartial(state.output);
  const readFrom = nextLineNumber(closed);
  let output = appendLines(closed, 'error', `${stepLabel(step)} no longer holds:`);
  output = appendLines(output, 'stderr', failureLines(results).join('\n'));
  const after = current
    ? 'Put it back and the step completes again.'
    : 'You stay on this step (that one still counts as done); later steps may need it, so put it back.';
  output = appendLines(output, 'note', after);
  return { ...state, output, readFrom, notice: { tone: 'warn', text: `${stepLabel(step)} no longer holds: see the output.` } };
}

/** Compares the earlier steps' new evaluation with the last one. The first evaluation in a
 *  sandbox only records (a step may not hold at the start of a later one by design). */
export function noteEarlierSteps(state: SessionState, earlier: readonly EarlierEvaluation[]): SessionState {
  let next = state;
  const held: Record<string, boolean> = { ...state.earlierHeld };
  const lesson = lessonAt(state.course, state.position);
  for (const e of earlier) {
    const before = state.earlierHeld[e.stepId];
    held[e.stepId] = e.passed;
    const step = lesson.steps.find((s) => s.id === e.stepId);
    if (before === undefined || before === e.passed || !step) continue;
    if (!e.passed) next = sayStopped(next, step, e.results, false);
    else next = { ...next, output: appendLines(next.output, 'success', `${stepLabel(step)} holds again.`), notice: { tone: 'success', text: `${stepLabel(step)} holds again.` } };
  }
  return { ...next, earlierHeld: held };
}

/** The current step was complete and one of its checks no longer holds. */
export function currentStepStopped(state: SessionState, results: readonly CheckResult[]): SessionState {
  return sayStopped({ ...state, phase: { kind: 'working' } }, stepAt(state.course, state.position), results, true);
}
