// The exam bank and grading (pure): at least 30 tasks of both kinds, the same seed draws the same
// tasks, answers files are split by `# task N|ID` with file:line errors, and the grade's points,
// total and pass mark add up; its JUnit holds the schema.
import { describe, expect, it } from 'vitest';
import { DRILL_BASES } from '../src/cli/drill.js';
import { drawExam, examBank } from '../src/domain/exam/bank.js';
import { examJunitSuite, gradeExam, renderExamReport } from '../src/domain/exam/grade-exam.js';
import { renderJunit } from '../src/domain/report/junit.js';
import { loadCourse } from '../src/app/course/load-course.js';
import { parseExamAnswers } from '../src/app/exam/answers.js';
import { validateJunit } from './junit-xml.js';

const bank = examBank(await loadCourse(), DRILL_BASES);

describe('the exam bank', () => {
  it('holds at least 30 tasks, building and troubleshooting, with unique ids and a statement each', () => {
    expect(bank.length).toBeGreaterThanOrEqual(30);
    expect(bank.filter((t) => t.kind === 'build').length).toBeGreaterThanOrEqual(15);
    expect(bank.filter((t) => t.kind === 'troubleshoot').length).toBeGreaterThanOrEqual(15);
    expect(new Set(bank.map((t) => t.id)).size).toBe(bank.length);
    for (const t of bank) {
      expect(t.weight).toBeGreaterThan(0);
      expect(t.statement.length).toBeGreaterThan(20);
    }
  });

  it('gives no solution away: a statement names no fault and no solution command', () => {
    for (const t of bank) {
      if (t.kind === 'troubleshoot') for (const f of t.plan.faults) expect(t.statement).not.toContain(f.inject);
      else for (const line of t.step.solution.split('\n').filter((l) => l.trim().length > 12)) expect(t.statement).not.toContain(line.trim());
    }
  });

  it('draws the same tasks for the same seed, no task twice, both kinds', () => {
    const a = drawExam(bank, 7, 8).map((t) => t.id);
    expect(drawExam(bank, 7, 8).map((t) => t.id)).toEqual(a);
    expect(drawExam(bank, 8, 8).map((t) => t.id)).not.toEqual(a);
    expect(new Set(a).size).toBe(8);
    expect(new Set(drawExam(bank, 7, 8).map((t) => t.kind)).size).toBe(2);
  });
});

describe('answers files', () => {
  const ids = ['fix:a', 'build:b/c'];
  it('splits sections by number or id', () => {
    expect(parseExamAnswers('ignored\n# task 2\nip link\n# task fix:a\necho hi\n', 'a.sh', ids)).toEqual([
      { task: 2, script: 'ip link' },
      { task: 1, script: 'echo hi\n' },
    ]);
  });
  it('names file:line for a task the exam does not have', () => {
    expect(() => parseExamAnswers('# task 1\n\n# task 9\n', 'a.sh', ids)).toThrow(/^a\.sh:3: there is no task "9"/);
  });
});

describe('gradeExam', () => {
  const results = [
    { id: 'a', title: 'A', weight: 8, passed: true, reason: 'all checks hold' },
    { id: 'b', title: 'B', weight: 4, passed: false, reason: 'not true: bear exists' },
  ];
  const g = gradeExam(7, results, { gradingMs: 10, ended: 'finished', seconds: 60 });
  it('full points or none, the total, and the pass mark', () => {
    expect([g.points, g.max, g.percent, g.passed]).toEqual([8, 12, 66.7, true]);
    expect(gradeExam(7, [results[1]!], { gradingMs: 1, ended: 'time ran out', seconds: 1 }).passed).toBe(false);
    expect(renderExamReport(g)).toContain('Total: 8/12 = 66.7%   pass mark 66%   PASSED');
  });
  it('JUnit: one testcase a task, the failed one with its reason', () => {
    const cases = validateJunit(renderJunit('exam', [examJunitSuite(g)]));
    expect(cases.map((c) => [c.attrs.name, c.children[0]?.attrs.message])).toEqual([
      ['a (8 points)', undefined],
      ['b (4 points)', 'not true: bear exists'],
    ]);
  });
});
