// Benchmark rows for practice and grading (issue 13): a drill ready to play (sandbox, base
// network, faults, the matrix probed and the diagnoser done, as `drill` waits before the shell),
// beside a bare sandbox; and an 8-task exam graded at one moment. Loaded by bench/run.ts.
import { DRILL_BASES } from '../src/cli/drill.js';
import { gradeAll } from '../src/cli/exam.js';
import { drawExam, examBank } from '../src/domain/exam/bank.js';
import { planDrill } from '../src/domain/drill/plan-drill.js';
import { loadCourse } from '../src/app/course/load-course.js';
import { buildDrill } from '../src/app/drill/build-drill.js';
import { openTaskSandbox } from '../src/app/exam/task-sandbox.js';
import { createSandbox } from '../src/world/sandbox/sandbox.js';
import { sample } from './stats.js';
import type { Row } from './rows.js';

export async function measure(N: (k: number) => number, log: (s: string) => void): Promise<Row[]> {
  log('practice: drill ready, exam grading ...\n');
  let seed = 0;
  const ready = await sample(N(20), async () => {
    const plan = planDrill(seed++, { bases: DRILL_BASES })!;
    const t = performance.now();
    const d = await buildDrill(plan);
    await d.diagnoses;
    const ms = performance.now() - t;
    await d.sandbox.dispose();
    return ms;
  });
  const bare = await sample(N(20), async () => {
    const t = performance.now();
    const sb = await createSandbox();
    const ms = performance.now() - t;
    await sb.dispose();
    return ms;
  });
  const course = await loadCourse();
  const tasks = drawExam(examBank(course, DRILL_BASES), 7, 8);
  const sandboxes = await Promise.all(tasks.map((t) => openTaskSandbox(t, course)));
  try {
    const grading = await sample(N(10), async () => (await gradeAll(tasks, sandboxes, 7, 'finished', performance.now())).gradingMs);
    const one = await sample(N(10), async () => (await gradeAll(tasks.slice(0, 1), sandboxes.slice(0, 1), 7, 'finished', performance.now())).gradingMs);
    return [
      { figure: 'drill: ready to play (seeds 0.., built, probed, diagnosed)', ours: ready, floor: bare, floorLabel: 'a bare sandbox', unit: 'ms', target: '< 1000 ms' },
      { figure: 'exam: grading 8 tasks (seed 7)', ours: grading, floor: one, floorLabel: 'grading its first task alone', unit: 'ms', target: '< 2000 ms' },
    ];
  } finally {
    await Promise.all(sandboxes.map((s) => s.dispose()));
  }
}
