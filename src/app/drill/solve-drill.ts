// The drill's reference solution, as a self-test uses it: the catalogue's reference fixes for its
// faults where there are some (drill-fixes.ts), then ask the diagnoser about each broken path and
// run the fix it prints, round after round, until the matrix holds or nothing changes.
import type { DrillPlan } from '../../domain/drill/plan-drill.js';
import { diagnose } from '../diagnose/diagnose.js';
import type { Sandbox } from '../../world/sandbox/sandbox.js';
import { gradeAtEnd, probeMatrix } from './build-drill.js';
import { REFERENCE_FIXES } from '../../domain/faults/drill-fixes.js';

export interface ReferenceSolve {
  solved: boolean;
  /** The fixes run, in order. */
  fixes: string[];
}

export async function solveWithDiagnoser(sandbox: Sandbox, plan: DrillPlan, rounds = 4): Promise<ReferenceSolve> {
  const fixes: string[] = [];
  // the catalogue's own reference fixes first, where the diagnoser's are known not to do
  const known = plan.faults.flatMap((f) => (REFERENCE_FIXES[f.id] ? [REFERENCE_FIXES[f.id]!] : []));
  if (known.length > 0) {
    fixes.push(...known);
    await sandbox.run(known.join('\n'), { timeoutMs: 10_000 });
  }
  for (let round = 0; round < rounds; round++) {
    const grade = round === 0 ? await probeMatrix(sandbox, plan) : await gradeAtEnd(sandbox, plan);
    if (grade.solved) return { solved: true, fixes };
    const broken = grade.paths.find((p) => !p.ok && p.expect === 'open');
    if (!broken) return { solved: false, fixes };
    const d = await diagnose(sandbox, broken.probe.from, broken.probe.to);
    const fix = d.fault?.fix ?? [];
    if (fix.length === 0 || fix.some((f) => f.startsWith('#'))) return { solved: false, fixes };
    fixes.push(...fix);
    await sandbox.run(fix.join('\n'), { timeoutMs: 10_000 });
  }
  return { solved: (await gradeAtEnd(sandbox, plan)).solved, fixes };
}
