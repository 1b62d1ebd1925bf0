// `netns-tutor report [--json|--junit] [--lessons DIR] [--progress FILE]`: a learner's progress in
// a course (each course keeps its own), for them or for a grader. Exit 0 when every step passed.
import { resolve } from 'node:path';
import { progressJunitSuites, renderProgressReport, reportProgress } from '../domain/report/progress-report.js';
import { renderJunit } from '../domain/report/junit.js';
import { loadCourse } from '../app/course/load-course.js';
import { openProgress } from '../app/progress/progress-store.js';

export async function runReport(opts: { json?: boolean; junit?: boolean; lessons?: string; progress?: string }): Promise<number> {
  const course = await loadCourse(opts.lessons ? resolve(opts.lessons) : undefined);
  const { store, notices } = openProgress({ course: course.dir, readOnly: true, ...(opts.progress ? { file: opts.progress } : {}) });
  for (const n of notices) process.stderr.write(`${n.text}\n`);
  const progress = store.read();
  const report = reportProgress(course, (l, s) => progress.steps[`${l}/${s}`]);
  if (opts.junit) process.stdout.write(renderJunit('netns-tutor report', progressJunitSuites(report)));
  else if (opts.json) process.stdout.write(`${JSON.stringify({ progressFile: store.path, ...report }, null, 2)}\n`);
  else process.stdout.write(`${renderProgressReport(report)}\n`);
  return report.passed === report.total ? 0 : 1;
}
