// The course commands' text: counts in words that agree with their numbers ("The check holds",
// never "All 1 checks hold").
import { describe, expect, it } from 'vitest';
import type { CheckResult, Lesson, Step, StepEvaluation } from '../src/domain/lesson/types.js';
import { describeFailing, describeHolding, plural, renderStepEvaluation } from '../src/app/course/render-text.js';

const lesson = { number: 2, title: 'Network namespaces' } as Lesson;
const step = { number: 1, title: 'Make a namespace' } as Step;
const ok: CheckResult = { name: 'fox exists', status: 'pass' };
const no: CheckResult = { name: 'bear exists', status: 'fail', message: 'There is no bear.' };

function lastLine(results: CheckResult[]): string {
  const evaluation: StepEvaluation = { lessonId: 'namespaces', stepId: 'x', results, passed: results.every((r) => r.status === 'pass'), durationMs: 1 };
  return renderStepEvaluation(lesson, step, evaluation).split('\n').at(-1)!;
}

describe('renderStepEvaluation', () => {
  it('says one check in the singular', () => {
    expect(lastLine([ok])).toBe('The check holds: the step is done.');
    expect(lastLine([no])).toBe('The check does not hold yet.');
  });
  it('says two and more in the plural, with the verb agreeing', () => {
    expect(lastLine([ok, ok])).toBe('Both checks hold: the step is done.');
    expect(lastLine([no, no])).toBe('Neither check holds yet.');
    expect(lastLine([ok, no])).toBe('1 of 2 checks does not hold yet.');
    expect(lastLine([ok, ok, ok])).toBe('All 3 checks hold: the step is done.');
    expect(lastLine([no, no, ok])).toBe('2 of 3 checks do not hold yet.');
    expect(lastLine([no, no, no])).toBe('None of the 3 checks holds yet.');
  });
  it('has the pieces the other commands use', () => {
    expect([plural(1, 'step'), plural(0, 'step'), plural(47, 'step')]).toEqual(['1 step', '0 steps', '47 steps']);
    expect(describeHolding(4)).toBe('All 4 checks hold');
    expect(describeFailing(1, 4)).toBe('1 of 4 checks does not hold');
  });
});
