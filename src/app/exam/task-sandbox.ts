// One exam task made real and graded: its own sandbox (the course replayed to the step's start,
// or a base network with its fault), and its grade read from the kernel at one moment (the step's
// checks, or the connectivity matrix).
import { evaluateStep } from '../checks/evaluate-step.js';
import type { ExamTask } from '../../domain/exam/bank.js';
import { pathWords } from '../../domain/faults/drill-matrix.js';
import type { Course } from '../../domain/lesson/types.js';
import { createPreparedSandbox } from '../course/prepared-sandbox.js';
import { createDrillSandbox, probeMatrix } from '../drill/build-drill.js';
import type { Sandbox } from '../../world/sandbox/sandbox.js';

export function openTaskSandbox(task: ExamTask, course: Course): Promise<Sandbox> {
  if (task.kind === 'troubleshoot') return createDrillSandbox(task.plan, 'exam');
  return createPreparedSandbox(course, task.lesson.id, task.step.number - 1, { sandbox: { files: task.lesson.files, hostname: 'exam' } });
}

export async function gradeTask(task: ExamTask, sandbox: Sandbox): Promise<{ passed: boolean; reason: string }> {
  if (task.kind === 'build') {
    const e = await evaluateStep(sandbox, task.step);
    const failing = e.results.filter((r) => r.status !== 'pass');
    return { passed: e.passed, reason: e.passed ? 'all checks hold' : `not true: ${failing.map((r) => r.name).join('; ')}` };
  }
  const m = await probeMatrix(sandbox, task.plan);
  const failing = m.paths.filter((p) => !p.ok);
  return { passed: m.solved, reason: m.solved ? 'every path as required' : failing.map((p) => `${pathWords(p.probe)}: ${p.verdict}`).join('; ') };
}
