// Plain-text rendering for the course commands (lessons, check, test-lessons). Pure: strings in,
// strings out; colour only when asked.
import type { CheckResult, Course, Lesson, Step, StepEvaluation } from '../../domain/lesson/types.js';
import type { SelfTestReport, StepReport } from './self-test.js';

export interface Paint {
  ok(s: string): string;
  bad(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const plain: Paint = { ok: (s) => s, bad: (s) => s, dim: (s) => s, bold: (s) => s };
const ansi = (code: number, reset: number) => (s: string) => `\x1b[${code}m${s}\x1b[${reset}m`;
export const colours: Paint = { ok: ansi(32, 39), bad: ansi(31, 39), dim: ansi(2, 22), bold: ansi(1, 22) };

/** Colour on a terminal, unless NO_COLOR or TERM=dumb; FORCE_COLOR (not 0/false) forces it even
 *  into a pipe and wins over NO_COLOR, as in Node and chalk. */
export function choosePaint(isTty: boolean, env: Record<string, string | undefined>): Paint {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force === '0' || force === 'false' ? plain : colours;
  return isTty && !env.NO_COLOR && env.TERM !== 'dumb' ? colours : plain;
}

/** A learner's progress on a step, when known (the tutor's progress store provides it). */
export type StepProgress = 'passed' | 'skipped' | undefined;

export function renderCourseList(course: Course, paint: Paint = plain, progressOf: (lesson: Lesson, step: Step) => StepProgress = () => undefined): string {
  const lines: string[] = [];
  for (const lesson of course.lessons) {
    lines.push(`${paint.bold(`${String(lesson.number).padStart(2)}  ${lesson.title}`)}  ${paint.dim(`(${lesson.id}, ${plural(lesson.steps.length, 'step')})`)}`);
    lines.push(`    ${paint.dim(lesson.summary)}`);
    for (const step of lesson.steps) {
      const progress = progressOf(lesson, step);
      const mark = progress === 'passed' ? paint.ok('✓') : progress === 'skipped' ? paint.dim('»') : ' ';
      lines.push(`  ${mark} ${String(step.number).padStart(2)}. ${step.title}  ${paint.dim(step.id)}`);
    }
    lines.push('');
  }
  const steps = course.lessons.reduce((n, l) => n + l.steps.length, 0);
  lines.push(`${plural(course.lessons.length, 'lesson')}, ${plural(steps, 'step')}. Check a step: netns-tutor check LESSON STEP (ids or numbers).`);
  return lines.join('\n');
}

export function renderCheckResult(r: CheckResult, paint: Paint = plain): string {
  const mark = r.status === 'pass' ? paint.ok('✓') : r.status === 'fail' ? paint.bad('✗') : paint.bad('?');
  const lines = [`${mark} ${r.name}`];
  if (r.status !== 'pass') {
    if (r.message) lines.push(`    ${r.message}`);
    if (r.evidence) lines.push(`    ${paint.dim(r.evidence)}`);
    if (r.hint) lines.push(`    ${paint.dim(`hint: ${r.hint}`)}`);
  }
  return lines.join('\n');
}

/** "s" when `n` counts more (or less) than one thing. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** "The check holds", "Both checks hold", "All 3 checks hold". */
export function describeHolding(total: number): string {
  if (total === 1) return 'The check holds';
  if (total === 2) return 'Both checks hold';
  return `All ${total} checks hold`;
}

/** "The check does not hold", "1 of 3 checks does not hold", "2 of 3 checks do not hold". */
export function describeFailing(failing: number, total: number): string {
  if (total === 1) return 'The check does not hold';
  if (failing === total) return total === 2 ? 'Neither check holds' : `None of the ${total} checks holds`;
  return `${failing} of ${total} checks ${failing === 1 ? 'does' : 'do'} not hold`;
}

export function renderStepEvaluation(lesson: Lesson, step: Step, evaluation: StepEvaluation, paint: Paint = plain): string {
  const failing = evaluation.results.filter((r) => r.status !== 'pass').length;
  const total = evaluation.results.length;
  return [
    paint.bold(`Lesson ${lesson.number} · ${lesson.title} · step ${step.number}: ${step.title}`),
    ...evaluation.results.map((r) => renderCheckResult(r, paint)),
    evaluation.passed ? paint.ok(`${describeHolding(total)}: the step is done.`) : paint.bad(`${describeFailing(failing, total)} yet.`),
  ].join('\n');
}

/** A reason may carry a command's output: continuation lines are indented under it. */
function indentReason(reason: string, by: string): string {
  return reason.trimEnd().split('\n').join(`\n${by}`);
}

export function renderStepReport(r: StepReport, paint: Paint = plain): string {
  const label = `${r.lessonNumber}.${r.stepNumber} ${r.lessonId}/${r.stepId}`;
  const time = paint.dim(`(${Math.round(r.durationMs)} ms)`);
  const head = r.status === 'ok' ? `${paint.ok('ok')}     ${label} ${time}` : `${paint.bad('defect')} ${label}: ${indentReason(r.reason ?? '', '         ')} ${time}`;
  const notes = (r.notes ?? []).map((n) => `         ${paint.dim(`note: ${n}`)}`);
  return [head, ...notes].join('\n');
}

export function renderSelfTestEnd(report: SelfTestReport, paint: Paint = plain): string {
  const lines: string[] = [];
  const defects = report.steps.filter((s) => s.status === 'defect');
  if (defects.length > 0) {
    lines.push('', paint.bad(`Defects (${defects.length}):`), ...defects.map((d) => `  ${d.lessonNumber}.${d.stepNumber} ${d.lessonId}/${d.stepId}: ${indentReason(d.reason ?? '', '      ')}`));
  }
  lines.push('');
  if (report.host.unchanged) lines.push(paint.ok('The host is unchanged.'));
  else lines.push(paint.bad('THE HOST CHANGED during the self-test:'), ...report.host.differences.map((d) => `  ${d}`));
  for (const n of report.host.notes) lines.push(paint.dim(`  (noted, not a failure: ${n})`));
  for (const s of report.host.skipped) lines.push(paint.dim(`  (not compared: ${s})`));
  lines.push(paint.dim(`${plural(report.steps.length, 'step')} in ${(report.durationMs / 1000).toFixed(1)} s`));
  lines.push(`${report.passed} passed, ${report.failed + (report.host.unchanged ? 0 : 1)} failed`);
  return lines.join('\n');
}
