// `netns-tutor test-lessons [--json|--junit] [--lessons DIR] [--only LESSON]`: the course's self-test.
// Exit 0 only when every step is sound and the host is unchanged.
import { resolve } from 'node:path';
import { findLesson, loadCourse } from '../app/course/load-course.js';
import { choosePaint, renderSelfTestEnd, renderStepReport } from '../app/course/render-text.js';
import { selfTestCourse } from '../app/course/self-test.js';
import { AbortError } from '../domain/errors.js';
import { renderJunit, suitesByClass, type JunitCase } from '../domain/report/junit.js';
import type { StepReport } from '../app/course/self-test.js';

/** A step of the self-test as a testcase: sound, or a defect with its reason. */
function selfTestCase(r: StepReport): JunitCase {
  const base = { name: `${r.lessonId}/${r.stepId}`, classname: r.lessonId, seconds: r.durationMs / 1000 };
  return r.status === 'ok' ? { ...base, outcome: 'passed' } : { ...base, outcome: 'failed', message: r.reason ?? 'defect', detail: [r.reason, ...(r.notes ?? [])].filter(Boolean).join('\n') };
}

export async function runTestLessons(opts: { json?: boolean; junit?: boolean; lessons?: string; only?: string }): Promise<number> {
  if (process.env.NETNS_TUTOR_SANDBOX) {
    throw new AbortError('the self-test makes its own sandboxes; run it outside `netns-tutor shell`.', 'Type `exit` to leave this sandbox first.');
  }
  const course = await loadCourse(opts.lessons ? resolve(opts.lessons) : undefined);
  const only = opts.only !== undefined ? findLesson(course, opts.only) : undefined;
  if (opts.only !== undefined && !only) {
    throw new AbortError(`there is no lesson "${opts.only}" in the course.`, `Lessons: ${course.lessons.map((l) => `${l.number} ${l.id}`).join(', ')}.`);
  }
  const paint = choosePaint(!!process.stdout.isTTY, process.env);
  const report = await selfTestCourse(course, {
    ...(only ? { only } : {}),
    onStep: opts.json || opts.junit ? undefined : (r) => process.stdout.write(`${renderStepReport(r, paint)}\n`),
  });
  if (opts.junit) {
    const cases = report.steps.map(selfTestCase);
    if (!report.host.unchanged) cases.push({ name: 'the host is unchanged', classname: 'host', outcome: 'failed', message: 'the self-test changed the host' });
    process.stdout.write(renderJunit('netns-tutor test-lessons', suitesByClass(cases)));
    process.stderr.write(`${report.passed} passed, ${report.failed} failed${report.host.unchanged ? '' : ' (and the host changed)'}\n`);
  } else if (opts.json) {
    process.stdout.write(`${JSON.stringify({ dir: course.dir, ...report }, null, 2)}\n`);
    process.stderr.write(`${report.passed} passed, ${report.failed} failed${report.host.unchanged ? '' : ' (and the host changed)'}\n`);
  } else {
    process.stdout.write(`${renderSelfTestEnd(report, paint)}\n`);
  }
  return report.failed === 0 && report.host.unchanged ? 0 : 1;
}
