// A lesson step's outcome as one JUnit testcase: passed, or failed with the checks that did not
// hold (their messages and evidence) as the failure's text.
import type { CheckResult, StepEvaluation } from '../lesson/types.js';
import type { JunitCase } from './junit.js';

/** The failing checks, one a line: "name: message (evidence)". */
export function describeFailedChecks(results: readonly CheckResult[]): string {
  return results
    .filter((r) => r.status !== 'pass')
    .map((r) => `${r.name}: ${r.status}${r.message ? `: ${r.message}` : ''}${r.evidence ? `\n  ${r.evidence}` : ''}`)
    .join('\n');
}

export function stepEvaluationCase(lessonId: string, stepId: string, evaluation: StepEvaluation): JunitCase {
  const seconds = evaluation.durationMs / 1000;
  const name = `${lessonId}/${stepId}`;
  if (evaluation.passed) return { name, classname: lessonId, outcome: 'passed', seconds };
  const failing = evaluation.results.filter((r) => r.status !== 'pass');
  return { name, classname: lessonId, outcome: 'failed', seconds, message: `${failing.length} of ${evaluation.results.length} checks do not hold: ${failing.map((r) => r.name).join(', ')}`, detail: describeFailedChecks(evaluation.results) };
}
