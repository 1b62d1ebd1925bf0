// A learner's progress in one course, per lesson (passed, skipped, not yet done), as text, JSON
// and JUnit (one testcase a step: passed; skipped; or a failure "not done yet"). Pure.
import type { Course } from '../lesson/types.js';
import type { JunitSuite } from './junit.js';

export type StepProgress = 'passed' | 'skipped' | 'not done';

export interface ProgressReport {
  course: string;
  lessons: Array<{ id: string; number: number; title: string; steps: Array<{ id: string; title: string; progress: StepProgress; at?: string }>; passed: number; total: number }>;
  passed: number;
  skipped: number;
  total: number;
}

export function reportProgress(course: Course, recordOf: (lessonId: string, stepId: string) => { outcome: 'passed' | 'skipped'; at: string } | undefined): ProgressReport {
  const lessons = course.lessons.map((l) => {
    const steps = l.steps.map((s) => {
      const r = recordOf(l.id, s.id);
      return { id: s.id, title: s.title, progress: (r?.outcome ?? 'not done') as StepProgress, ...(r ? { at: r.at } : {}) };
    });
    return { id: l.id, number: l.number, title: l.title, steps, passed: steps.filter((s) => s.progress === 'passed').length, total: steps.length };
  });
  const all = lessons.flatMap((l) => l.steps);
  return { course: course.dir, lessons, passed: all.filter((s) => s.progress === 'passed').length, skipped: all.filter((s) => s.progress === 'skipped').length, total: all.length };
}

export function renderProgressReport(r: ProgressReport): string {
  const w = Math.max(...r.lessons.map((l) => l.title.length), 5);
  return [
    `Progress in ${r.course}`,
    '',
    ...r.lessons.map((l) => `${String(l.number).padStart(3)}. ${l.title.padEnd(w)}  ${l.passed}/${l.total} steps${l.steps.some((s) => s.progress === 'skipped') ? ` (${l.steps.filter((s) => s.progress === 'skipped').length} skipped)` : ''}`),
    '',
    `${r.passed} of ${r.total} steps passed${r.skipped ? `, ${r.skipped} skipped` : ''}.`,
  ].join('\n');
}

export function progressJunitSuites(r: ProgressReport): JunitSuite[] {
  return r.lessons.map((l) => ({
    name: l.id,
    cases: l.steps.map((s) => ({
      name: `${l.id}/${s.id}`,
      classname: l.id,
      outcome: s.progress === 'passed' ? 'passed' : s.progress === 'skipped' ? 'skipped' : 'failed',
      ...(s.progress === 'passed' ? {} : { message: s.progress === 'skipped' ? 'skipped by the learner' : 'not done yet' }),
    })),
  }));
}
