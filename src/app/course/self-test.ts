// The course's self-test: every step must fail before its solution and pass after it, twice, and
// the real host must be unchanged at the end.
//
// How work is reused: each lesson starts in a FRESH sandbox brought to its start state by
// prepareState (the `requires` chain replayed). Then its steps run in order in that sandbox:
// evaluate (must not hold), run the solution, evaluate twice (must hold); the state after step k is
// the state before step k+1. After any defect the lesson goes on in a fresh sandbox prepared by
// prepareState for the next step, so one broken step cannot hide or cause another. The probes run
// between steps (as the tutor's checks do while a learner works). Lessons run two at a time.
import { evaluateStep } from '../checks/evaluate-step.js';
import type { CheckResult, Course, Lesson } from '../../domain/lesson/types.js';
import { createLocalRunner } from '../../world/exec/runner.js';
import { createSandbox, type Sandbox } from '../../world/sandbox/sandbox.js';
import { compareHostFingerprints, takeHostFingerprint, type HostComparison } from '../../world/host-fingerprint.js';
import { judgeStep } from '../../domain/lesson/judge-step.js';
import { solutionPart } from '../../domain/lesson/replay-plan.js';
import { prepareState, replayParts } from './replay.js';

export type StepStatus = 'ok' | 'defect';

export interface StepReport {
  lessonId: string;
  lessonNumber: number;
  stepId: string;
  stepNumber: number;
  status: StepStatus;
  reason?: string;
  /** The checks before the solution and after it (first evaluation). */
  before?: CheckResult[];
  after?: CheckResult[];
  /** Commands of its solution that exited non-zero (tolerated: a learner's `ping` may fail). */
  notes?: string[];
  durationMs: number;
}

export interface SelfTestReport {
  steps: StepReport[];
  passed: number;
  failed: number;
  host: HostComparison;
  durationMs: number;
}

export interface SelfTestOptions {
  /** Test one lesson (id or number). */
  only?: Lesson;
  /** Lessons tested at the same time (default 2). */
  concurrency?: number;
  onStep?: (report: StepReport) => void;
  /** Where sandboxes come from (tests may count or wrap them). */
  newSandbox?: () => Promise<Sandbox>;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function testLesson(course: Course, lesson: Lesson, options: SelfTestOptions): Promise<StepReport[]> {
  const newSandbox = options.newSandbox ?? (() => createSandbox());
  const reports: StepReport[] = [];
  let sandbox: Sandbox | undefined;
  const drop = async () => {
    await sandbox?.dispose();
    sandbox = undefined;
  };
  try {
    for (const [index, step] of lesson.steps.entries()) {
      const started = performance.now();
      const report = (status: StepStatus, extra: Partial<StepReport> = {}): StepReport => {
        const r: StepReport = {
          lessonId: lesson.id,
          lessonNumber: lesson.number,
          stepId: step.id,
          stepNumber: step.number,
          status,
          ...extra,
          durationMs: performance.now() - started,
        };
        reports.push(r);
        options.onStep?.(r);
        return r;
      };
      if (!sandbox) {
        sandbox = await newSandbox();
        try {
          await prepareState(sandbox, course, lesson.id, { stepIndex: index });
        } catch (e) {
          await drop();
          report('defect', { reason: `the state before it could not be prepared: ${errorText(e)}` });
          continue;
        }
      }
      let before: CheckResult[] | undefined;
      let after: CheckResult[] | undefined;
      try {
        before = (await evaluateStep(sandbox, step)).results;
        const log = await replayParts(sandbox, [solutionPart(lesson.id, step.id, step.solution)]);
        const notes = log.failures.map((f) => `\`${f.command}\` exited ${f.status}`);
        after = (await evaluateStep(sandbox, step)).results;
        const again = (await evaluateStep(sandbox, step)).results;
        const verdict = judgeStep(before, after, again);
        const extra = { before, after, ...(notes.length ? { notes } : {}) };
        if (verdict.status === 'defect') {
          await drop();
          report('defect', { reason: verdict.reason, ...extra });
        } else {
          report('ok', extra);
        }
      } catch (e) {
        await drop();
        const what = before === undefined ? 'its checks could not be evaluated' : after === undefined ? 'its solution could not run' : 'its checks could not be evaluated';
        report('defect', { reason: `${what}: ${errorText(e)}`, ...(before ? { before } : {}) });
      }
    }
  } finally {
    await drop();
  }
  return reports;
}

/** Runs `jobs` with at most `limit` at a time, keeping their order in the result. */
async function runPooled<T>(jobs: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array<T>(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, jobs.length)) }, worker));
  return results;
}

export async function selfTestCourse(course: Course, options: SelfTestOptions = {}): Promise<SelfTestReport> {
  const started = performance.now();
  const host = createLocalRunner();
  const fingerprintBefore = await takeHostFingerprint(host);
  const lessons = options.only ? [options.only] : course.lessons;
  const perLesson = await runPooled(
    lessons.map((l) => () => testLesson(course, l, options)),
    options.concurrency ?? 2,
  );
  const steps = perLesson.flat();
  const hostComparison = compareHostFingerprints(fingerprintBefore, await takeHostFingerprint(host));
  const failed = steps.filter((s) => s.status === 'defect').length;
  return { steps, passed: steps.length - failed, failed, host: hostComparison, durationMs: performance.now() - started };
}
