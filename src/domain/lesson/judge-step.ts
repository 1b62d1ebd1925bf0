// The self-test's verdict on one step from its three evaluations: before its solution (must not
// all hold), after it, and after it again (both must hold). Pure.
import type { CheckResult } from './types.js';

export type StepVerdict = { status: 'ok' } | { status: 'defect'; reason: string };

const holds = (results: readonly CheckResult[]) => results.every((r) => r.status === 'pass');

export function describeFailures(results: readonly CheckResult[]): string {
  return results
    .filter((r) => r.status !== 'pass')
    .map((r) => `${r.name}: ${r.message ?? 'does not hold'}${r.evidence ? ` [${r.evidence}]` : ''}`)
    .join('; ');
}

export function judgeStep(before: readonly CheckResult[], after: readonly CheckResult[], again: readonly CheckResult[]): StepVerdict {
  if (holds(before)) return { status: 'defect', reason: 'already passes before its solution' };
  if (holds(after) !== holds(again)) {
    const failing = holds(after) ? again : after;
    return { status: 'defect', reason: `flaky: passed once and failed once after its solution (${describeFailures(failing)})` };
  }
  if (!holds(after)) return { status: 'defect', reason: `fails after its solution: ${describeFailures(after)}` };
  return { status: 'ok' };
}
