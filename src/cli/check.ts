// `netns-tutor check LESSON STEP [--json|--junit] [--lessons DIR]`: a step's checks against the network
// world this process runs in (inside `netns-tutor shell`, that sandbox; elsewhere this host, read
// only). Exit 0 when all hold.
import { resolve } from 'node:path';
import { evaluateStep } from '../app/checks/evaluate-step.js';
import { loadCourseCached } from '../app/course/course-cache.js';
import { findLesson, findStep } from '../domain/lesson/find.js';
import { lessonsDir } from '../world/sandbox/paths.js';
import { choosePaint, renderStepEvaluation } from '../app/course/render-text.js';
import { UsageError } from '../domain/errors.js';
import { createLocalRunner } from '../world/exec/runner.js';
import { renderJunit } from '../domain/report/junit.js';
import { stepEvaluationCase } from '../domain/report/step-cases.js';

export async function runCheck(lessonRef: string, stepRef: string, opts: { json?: boolean; junit?: boolean; lessons?: string }): Promise<number> {
  const course = await loadCourseCached(opts.lessons ? resolve(opts.lessons) : lessonsDir);
  const lesson = findLesson(course, lessonRef);
  if (!lesson) {
    const list = course.lessons.map((l) => `${l.number} ${l.id}`).join(', ');
    throw new UsageError(`there is no lesson "${lessonRef}" in the course.`, `Lessons: ${list}. (netns-tutor lessons lists them with their steps.)`);
  }
  const step = findStep(lesson, stepRef);
  if (!step) {
    const list = lesson.steps.map((s) => `${s.number} ${s.id}`).join(', ');
    throw new UsageError(`lesson ${lesson.id} has no step "${stepRef}".`, `Its steps: ${list}.`);
  }
  const sandboxId = process.env.NETNS_TUTOR_SANDBOX;
  if (!sandboxId && !opts.json && !opts.junit) {
    process.stderr.write(
      'Not inside a netns-tutor sandbox: reading THIS HOST, read-only (reachability and shell checks are not run here).\n' +
        'The lab lives in a sandbox: run this inside `netns-tutor shell`, or use the tutor (`netns-tutor`).\n\n',
    );
  }
  const runner = createLocalRunner(sandboxId ? `sandbox ${sandboxId}` : 'this host');
  const evaluation = await evaluateStep(runner, step);
  if (opts.junit) {
    const c = stepEvaluationCase(lesson.id, step.id, evaluation);
    process.stdout.write(renderJunit('netns-tutor check', [{ name: lesson.id, cases: [c], seconds: c.seconds }]));
  } else if (opts.json) {
    const world = sandboxId ? 'sandbox' : 'host';
    process.stdout.write(`${JSON.stringify({ lesson: lesson.id, step: step.id, world, ...evaluation }, null, 2)}\n`);
  } else {
    process.stdout.write(`${renderStepEvaluation(lesson, step, evaluation, choosePaint(!!process.stdout.isTTY, process.env))}\n`);
  }
  return evaluation.passed ? 0 : 1;
}
