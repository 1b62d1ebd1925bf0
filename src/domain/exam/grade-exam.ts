// An exam's grade: each task full points or none with the reason, the total, and pass or fail
// against the stated pass mark. Pure; JUnit and text views of it.
import type { JunitSuite } from '../report/junit.js';

/** The CKA's pass mark. */
export const PASS_MARK = 0.66;

export interface TaskGrade {
  id: string;
  title: string;
  weight: number;
  points: number;
  /** Why it scored what it did: the failing checks or paths, or "all checks hold". */
  reason: string;
}

export interface ExamGrade {
  seed: number;
  tasks: TaskGrade[];
  points: number;
  max: number;
  percent: number;
  passMark: number;
  passed: boolean;
  /** How long the grading itself took (the kernel read at one moment). */
  gradingMs: number;
  /** 'finished' or 'time ran out'. */
  ended: 'finished' | 'time ran out';
  seconds: number;
}

export function gradeExam(seed: number, results: ReadonlyArray<{ id: string; title: string; weight: number; passed: boolean; reason: string }>, extra: { gradingMs: number; ended: ExamGrade['ended']; seconds: number }): ExamGrade {
  const tasks = results.map((r) => ({ id: r.id, title: r.title, weight: r.weight, points: r.passed ? r.weight : 0, reason: r.reason }));
  const points = tasks.reduce((s, t) => s + t.points, 0);
  const max = tasks.reduce((s, t) => s + t.weight, 0);
  const percent = max === 0 ? 0 : Math.round((1000 * points) / max) / 10;
  return { seed, tasks, points, max, percent, passMark: PASS_MARK * 100, passed: percent >= PASS_MARK * 100, ...extra };
}

export function renderExamReport(g: ExamGrade): string {
  const w = Math.max(...g.tasks.map((t) => t.title.length), 10);
  return [
    `Exam seed ${g.seed}: ${g.ended}, graded in ${g.gradingMs} ms`,
    '',
    ...g.tasks.map((t, i) => `${String(i + 1).padStart(2)}. ${t.title.padEnd(w)}  ${String(t.points).padStart(2)}/${t.weight}  ${t.reason}`),
    '',
    `Total: ${g.points}/${g.max} = ${g.percent}%   pass mark ${g.passMark}%   ${g.passed ? 'PASSED' : 'FAILED'}`,
  ].join('\n');
}

export function examJunitSuite(g: ExamGrade): JunitSuite {
  return {
    name: `exam seed ${g.seed}`,
    seconds: g.seconds,
    properties: { seed: g.seed, points: g.points, max: g.max, percent: g.percent, 'pass mark': g.passMark, passed: String(g.passed) },
    cases: g.tasks.map((t) => ({ name: `${t.id} (${t.weight} points)`, classname: 'exam', outcome: t.points > 0 ? 'passed' : 'failed', ...(t.points > 0 ? {} : { message: t.reason }) })),
  };
}
