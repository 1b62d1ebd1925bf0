// evaluateStep: one snapshot (with the files the checks read) and the step's probes, taken in
// parallel from the world `runner` runs in, then the pure evaluation.
import { evaluateCheck, evaluateChecks } from '../../domain/checks/evaluate-checks.js';
import { filesNeeded, namespacesReadInDepth, needsSnapshot, probesNeeded } from '../../domain/checks/plan-checks.js';
import type { Check, Step, StepEvaluation } from '../../domain/lesson/types.js';
import type { Snapshot } from '../../domain/snapshot/snapshot.js';
import type { CommandRunner } from '../../world/exec/types.js';
import { takeSnapshot } from '../../world/observe/take-snapshot.js';
import { runProbes } from '../../world/probes/run-probes.js';
import { runProbesRemembering, type ProbeMemo } from '../../world/probes/probe-memo.js';

/** For steps whose checks are all probes: nothing reads it. */
const EMPTY_SNAPSHOT: Snapshot = { world: 'sandbox', namespaces: [], files: {} };

export interface EvaluateOptions {
  signal?: AbortSignal;
  /** The tutor's: HTTP probes at most once per command (see probe-memo.ts). */
  memo?: ProbeMemo;
}

/** Every namespace a check names: read however many others there are. */
function namedNamespaces(checks: readonly Check[]): string[] {
  return checks.flatMap((c) => (c.kind === 'netns' ? [c.in, c.netns] : [c.in]));
}

export async function evaluateChecksIn(runner: CommandRunner, checks: readonly Check[], options: EvaluateOptions = {}) {
  const signal = options.signal ? { signal: options.signal } : {};
  const probing = options.memo ? runProbesRemembering(runner, probesNeeded(checks), options.memo, signal) : runProbes(runner, probesNeeded(checks), signal);
  // awaited below; until then a failure must not count as unhandled
  probing.catch(() => undefined);
  // sysctls, rules and sockets only where the checks look (no shell nor iptables-save in the
  // other namespaces); links, addresses and routes everywhere, so veth peers still resolve
  let snapshot = needsSnapshot(checks) ? await takeSnapshot(runner, { files: filesNeeded(checks), deepIn: namespacesReadInDepth(checks), include: namedNamespaces(checks), ...signal }) : EMPTY_SNAPSHOT;
  // A rule, sysctl or socket that is not where the check looks is most often in another namespace
  // (a command run without `ip netns exec`, or inside one): only then read them everywhere, so the
  // evidence can say where it is. It runs while the probes still do; a passing step never pays.
  if (checks.some((c) => readsInDepth(c) && evaluateCheck(c, snapshot).status === 'fail')) {
    snapshot = await takeSnapshot(runner, { files: filesNeeded(checks), include: namedNamespaces(checks), ...signal });
  }
  const probes = await probing;
  return { snapshot, probes, results: evaluateChecks(checks, snapshot, probes) };
}

function readsInDepth(check: Check): boolean {
  return namespacesReadInDepth([check]).length > 0;
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
