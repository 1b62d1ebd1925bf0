// evaluateStep: one snapshot (with the files the checks read) and the step's probes, taken in
// parallel from the world `runner` runs in, then the pure evaluation.
import { evaluateChecks } from '../core/checks/evaluate-checks.js';
import { filesNeeded, namespacesReadInDepth, needsSnapshot, probesNeeded } from '../core/checks/plan-checks.js';
import type { Check, Step, StepEvaluation } from '../core/lesson/types.js';
import type { Snapshot } from '../core/snapshot.js';
import type { CommandRunner } from '../exec/types.js';
import { takeSnapshot } from '../observe/take-snapshot.js';
import { runProbes } from './run-probes.js';

/** For steps whose checks are all probes: nothing reads it. */
const EMPTY_SNAPSHOT: Snapshot = { world: 'sandbox', namespaces: [], files: {} };

export interface EvaluateOptions {
  signal?: AbortSignal;
}

export async function evaluateChecksIn(runner: CommandRunner, checks: readonly Check[], options: EvaluateOptions = {}) {
  const signal = options.signal ? { signal: options.signal } : {};
  const [snapshot, probes] = await Promise.all([
    // sysctls, rules and sockets only where the checks look (no shell nor iptables-save in the
    // other namespaces); links, addresses and routes everywhere, so veth peers still resolve
    // (and every namespace a check names, however many others there are)
    needsSnapshot(checks)
      ? takeSnapshot(runner, { files: filesNeeded(checks), deepIn: namespacesReadInDepth(checks), include: checks.flatMap((c) => (c.kind === 'netns' ? [c.in, c.netns] : [c.in])), ...signal })
      : Promise.resolve(EMPTY_SNAPSHOT),
    runProbes(runner, probesNeeded(checks), options.signal),
  ]);
  return { snapshot, probes, results: evaluateChecks(checks, snapshot, probes) };
}

export async function evaluateStep(runner: CommandRunner, step: Step, options: EvaluateOptions = {}): Promise<StepEvaluation> {
  const started = performance.now();
  const { results } = await evaluateChecksIn(runner, step.checks, options);
  return {
    lessonId: step.lessonId ?? '',
    stepId: step.id,
    results,
    passed: results.every((r) => r.status === 'pass'),
    durationMs: performance.now() - started,
  };
}
