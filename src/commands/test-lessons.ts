// `netns-tutor test-lessons [--json] [--lessons DIR] [--only LESSON]`: the course's self-test.
// Exit 0 only when every step is sound and the host is unchanged.
import { resolve } from 'node:path';
import { findLesson, loadCourse } from '../course/load-course.js';
import { choosePaint, renderSelfTestEnd, renderStepReport } from '../course/render-text.js';
import { selfTestCourse } from '../course/self-test.js';
import { AbortError } from '../errors.js';

export async function runTestLessons(opts: { json?: boolean; lessons?: string; only?: string }): Promise<number> {
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
    onStep: opts.json ? undefined : (r) => process.stdout.write(`${renderStepReport(r, paint)}\n`),
  });
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ dir: course.dir, ...report }, null, 2)}\n`);
    process.stderr.write(`${report.passed} passed, ${report.failed} failed${report.host.unchanged ? '' : ' (and the host changed)'}\n`);
  } else {
    process.stdout.write(`${renderSelfTestEnd(report, paint)}\n`);
  }
  return report.failed === 0 && report.host.unchanged ? 0 : 1;
}
