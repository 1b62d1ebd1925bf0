// A drill made real: a sandbox with the base network built, the drill's extra setup and the
// faults injected (one script, run as the sandbox comes up), the matrix probed, and the
// diagnoser's explanation of each broken path kept for the debrief.
import { gradeMatrix, type MatrixGrade } from '../../domain/drill/grade-matrix.js';
import type { DrillPlan } from '../../domain/drill/plan-drill.js';
import type { Diagnosis } from '../../domain/diagnose/types.js';
import type { PathProbe } from '../../domain/faults/types.js';
import { diagnose } from '../diagnose/diagnose.js';
import { probeWhy } from '../../domain/checks/probe-types.js';
import { probePaths } from '../../world/probes/run-probes.js';
import { AbortError, BugError } from '../../domain/errors.js';
import type { CommandRunner } from '../../world/exec/types.js';
import { createSandbox, type Sandbox } from '../../world/sandbox/sandbox.js';

/** The one script that builds the broken world: base, extras, then each fault's inject. */
export function drillScript(plan: DrillPlan): string {
  if (plan.base.setup.kind !== 'script') throw new BugError(`drills build script bases only, not ${plan.base.id}`);
  const part = (what: string, body: string) => `( set -e\n${body}\n) || { echo "drill setup failed at ${what}" >&2; exit 1; }`;
  return [part(`base ${plan.base.id}`, plan.base.setup.script), part('the drill extras', plan.extraSetup), ...plan.faults.map((f) => part(`fault ${f.id}`, f.inject))].join('\n');
}

/** Probes every path of the matrix (at the same time) and grades them. */
export async function probeMatrix(runner: CommandRunner, plan: Pick<DrillPlan, 'open' | 'closed'>): Promise<MatrixGrade> {
  const all = [...plan.open, ...plan.closed];
  const outcomes = await probePaths(runner, all);
  const byId = new Map(all.map((p, i) => [p.id, outcomes[i]!]));
  return gradeMatrix(plan.open, plan.closed, (p: PathProbe) => {
    const o = byId.get(p.id)!;
    return { ok: o.outcome === 'ok', seen: probeWhy(o) };
  });
}

/** The matrix at the end: a path fixed a moment ago may need a few hundred ms to carry packets
 *  (a bridge or link just set up, a neighbour to resolve), so a failing matrix is probed once more
 *  after a second before it counts. */
export async function gradeAtEnd(runner: CommandRunner, plan: Pick<DrillPlan, 'open' | 'closed'>): Promise<MatrixGrade> {
  const first = await probeMatrix(runner, plan);
  if (first.solved) return first;
  await new Promise((r) => setTimeout(r, SETTLE_MS));
  return probeMatrix(runner, plan);
}

const SETTLE_MS = 1000;

export interface BuiltDrill {
  sandbox: Sandbox;
  start: MatrixGrade;
  /** The diagnoser on each path broken at the start, before the learner touched anything. */
  diagnoses: Promise<Diagnosis[]>;
}

/** A sandbox with the drill's broken network built (no probes yet). */
export async function createDrillSandbox(plan: DrillPlan, hostname = 'drill'): Promise<Sandbox> {
  const sandbox = await createSandbox({ firstScript: drillScript(plan), hostname });
  const r = await sandbox.first!;
  if (r.exitCode !== 0) {
    await sandbox.dispose();
    throw new AbortError(`the network of ${plan.faults.map((f) => f.id).join(', ')} could not be built: ${r.stderr.trim() || r.outcome}`, 'Run `netns-tutor doctor`: a tool or kernel feature may be missing.');
  }
  return sandbox;
}

export async function buildDrill(plan: DrillPlan): Promise<BuiltDrill> {
  const sandbox = await createDrillSandbox(plan);
  try {
    const start = await probeMatrix(sandbox, plan);
    const broken = start.paths.filter((p) => !p.ok && p.expect === 'open');
    const diagnoses = Promise.all(broken.map((p) => diagnose(sandbox, p.probe.from, p.probe.to)));
    diagnoses.catch(() => {});
    return { sandbox, start, diagnoses };
  } catch (e) {
    await sandbox.dispose();
    throw e;
  }
}
