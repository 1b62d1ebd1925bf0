// `netns-tutor exam [--seed N] [--minutes M] [--tasks N] [--answers FILE] [--json|--junit]`: a
// mock exam in the CKA/LFCS style: weighted tasks from the bank, each in its own sandbox, a timer,
// no hints or checks; at the end every task is graded against the kernel at that moment.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { drawExam, examBank, type ExamTask } from '../domain/exam/bank.js';
import { examJunitSuite, gradeExam, renderExamReport, PASS_MARK, type ExamGrade } from '../domain/exam/grade-exam.js';
import { freshSeed } from '../domain/drill/seeded-random.js';
import { renderJunit } from '../domain/report/junit.js';
import { loadCourse } from '../app/course/load-course.js';
import { AbortError, UsageError } from '../domain/errors.js';
import { parseExamAnswers } from '../app/exam/answers.js';
import { playExam, type ExamEnd } from '../app/exam/play-exam.js';
import { gradeTask, openTaskSandbox } from '../app/exam/task-sandbox.js';
import { inBatches, selfTestTask } from '../app/exam/self-test-bank.js';
import type { Sandbox } from '../world/sandbox/sandbox.js';
import { DRILL_BASES } from './drill.js';

export interface ExamOptions {
  selfTest?: boolean;
  seed?: string;
  minutes?: string;
  tasks?: string;
  answers?: string;
  json?: boolean;
  junit?: boolean;
  lessons?: string;
}

function wholeNumber(flag: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`${flag} takes a whole number from ${min} to ${max}, not "${value}".`, 'Run netns-tutor help exam for the options.');
  return n;
}

/** Every task graded at the same moment (all at once, so the moment is short). */
export async function gradeAll(tasks: readonly ExamTask[], sandboxes: readonly Sandbox[], seed: number, ended: ExamEnd, started: number): Promise<ExamGrade> {
  const t = performance.now();
  const results = await Promise.all(tasks.map(async (task, i) => ({ id: task.id, title: task.title, weight: task.weight, ...(await gradeTask(task, sandboxes[i]!)) })));
  const gradingMs = Math.round(performance.now() - t);
  return gradeExam(seed, results, { gradingMs, ended, seconds: Math.round(performance.now() - started) / 1000 });
}

export async function runExam(opts: ExamOptions): Promise<number> {
  if (process.env.NETNS_TUTOR_SANDBOX) throw new AbortError('an exam makes its own sandboxes; run it outside `netns-tutor shell`.', 'Type `exit` to leave this sandbox first.');
  if (opts.selfTest) return selfTestBank(opts);
  const seed = wholeNumber('--seed', opts.seed, freshSeed(Math.random()), 0, Number.MAX_SAFE_INTEGER);
  const minutes = wholeNumber('--minutes', opts.minutes, 60, 1, 600);
  const count = wholeNumber('--tasks', opts.tasks, 8, 1, 40);
  if (!opts.answers && !process.stdin.isTTY) throw new UsageError('an exam needs a terminal, or --answers FILE to run a script instead.', `For an autograder: netns-tutor exam --seed ${seed} --answers answers.sh --junit`);
  const course = await loadCourse(opts.lessons ? resolve(opts.lessons) : undefined);
  const tasks = drawExam(examBank(course, DRILL_BASES), seed, count);
  const answers = opts.answers ? parseExamAnswers(readAnswers(opts.answers), opts.answers, tasks.map((t) => t.id)) : undefined;
  const say = (text: string) => (opts.json || opts.junit ? process.stderr : process.stdout).write(text);
  say(`Exam seed ${seed}: ${tasks.length} tasks, ${minutes} minutes, pass mark ${PASS_MARK * 100}%. Preparing the sandboxes...\n`);
  const settled = await Promise.allSettled(tasks.map((t) => openTaskSandbox(t, course)));
  const sandboxes = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  try {
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const started = performance.now();
    let ended: ExamEnd = 'finished';
    if (answers) {
      say(tasks.map((t, i) => `\nTask ${i + 1} (${t.id}, ${t.weight} points): ${t.title}\n${t.statement}\n`).join(''));
      await Promise.all(answers.map((a) => sandboxes[a.task - 1]!.run(a.script, { timeoutMs: 120_000 })));
    } else {
      ended = await playExam(tasks, sandboxes, minutes);
    }
    const grade = await gradeAll(tasks, sandboxes, seed, ended, started);
    if (opts.junit) process.stdout.write(renderJunit('netns-tutor exam', [examJunitSuite(grade)]));
    else if (opts.json) process.stdout.write(`${JSON.stringify(grade, null, 2)}\n`);
    else process.stdout.write(`\n${renderExamReport(grade)}\n`);
    return grade.passed ? 0 : 1;
  } finally {
    await Promise.all(sandboxes.map((s) => s.dispose()));
  }
}

function readAnswers(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new AbortError(`cannot read the answers file ${file}: ${(e as Error).message}`, 'Give --answers a readable file of `# task N` sections.');
  }
}

/** `exam --self-test`: every task of the bank fails at its start and passes after its reference. */
async function selfTestBank(opts: ExamOptions): Promise<number> {
  const course = await loadCourse(opts.lessons ? resolve(opts.lessons) : undefined);
  const bank = examBank(course, DRILL_BASES);
  const machine = opts.json || opts.junit;
  const reports = await inBatches(bank, 3, (t) => selfTestTask(t, course), (r) => {
    if (!machine) process.stdout.write(`${r.status === 'ok' ? '✓' : '✗'} ${r.id}${r.status === 'ok' ? '' : `: ${r.status}${r.detail ? ` (${r.detail})` : ''}`}\n`);
  });
  const ok = reports.filter((r) => r.status === 'ok').length;
  if (opts.junit) {
    process.stdout.write(renderJunit('netns-tutor exam --self-test', [{ name: 'exam bank', cases: reports.map((r) => ({ name: r.id, classname: 'exam-bank', outcome: r.status === 'ok' ? 'passed' : 'failed', seconds: r.durationMs / 1000, ...(r.status === 'ok' ? {} : { message: `${r.status}${r.detail ? `: ${r.detail}` : ''}` }) })) }]));
  } else if (opts.json) process.stdout.write(`${JSON.stringify({ tasks: reports, ok, failed: reports.length - ok }, null, 2)}\n`);
  else process.stdout.write(`\n${ok} of ${bank.length} tasks sound.\n`);
  return ok === reports.length ? 0 : 1;
}
