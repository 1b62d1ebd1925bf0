// The exam bank's self-test (as test-lessons is the course's): every task is failed by the state
// it starts in and passed after its reference solution (the step's solution; for a fault, the
// diagnoser's printed fixes), each in a fresh sandbox.
import type { ExamTask } from '../../domain/exam/bank.js';
import type { Course } from '../../domain/lesson/types.js';
import { solveWithDiagnoser } from '../drill/solve-drill.js';
import { gradeTask, openTaskSandbox } from './task-sandbox.js';

export type BankSelfTestStatus = 'ok' | 'passes at start' | 'reference fails' | 'cannot start';

export interface BankSelfTestReport {
  id: string;
  status: BankSelfTestStatus;
  detail?: string;
  durationMs: number;
}

export async function selfTestTask(task: ExamTask, course: Course): Promise<BankSelfTestReport> {
  const started = performance.now();
  const done = (status: BankSelfTestStatus, detail?: string): BankSelfTestReport => ({ id: task.id, status, ...(detail ? { detail } : {}), durationMs: Math.round(performance.now() - started) });
  let sandbox;
  try {
    sandbox = await openTaskSandbox(task, course);
  } catch (e) {
    return done('cannot start', e instanceof Error ? e.message : String(e));
  }
  try {
    const before = await gradeTask(task, sandbox);
    if (before.passed) return done('passes at start');
    if (task.kind === 'build') await sandbox.run(task.step.solution, { timeoutMs: 60_000 });
    else await solveWithDiagnoser(sandbox, task.plan);
    const after = await gradeTask(task, sandbox);
    return after.passed ? done('ok') : done('reference fails', after.reason);
  } finally {
    await sandbox.dispose();
  }
}

/** Runs `run` over `items`, `width` at a time, keeping the order of the results. */
export async function inBatches<T, R>(items: readonly T[], width: number, run: (item: T) => Promise<R>, onEach?: (r: R) => void): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await run(items[i]!);
      onEach?.(out[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return out;
}
