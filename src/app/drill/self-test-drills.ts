// The drills' self-test (as test-lessons is the course's): for each seed, the drill starts
// unsolved, the diagnoser's fixes solve it, and where the matrix has closed paths, opening the
// firewall wide on top of the fixes does NOT pass it.
import type { DrillPlan } from '../../domain/drill/plan-drill.js';
import type { BaseId } from '../../domain/faults/types.js';
import { buildDrill, probeMatrix } from './build-drill.js';
import { solveWithDiagnoser } from './solve-drill.js';

export type DrillSelfTestStatus = 'ok' | 'starts solved' | 'build failed' | 'fixes do not solve it' | 'flushing passes it';

export interface DrillSelfTestReport {
  seed: number;
  base: BaseId;
  faults: string[];
  status: DrillSelfTestStatus;
  detail?: string;
  durationMs: number;
}

/** What a learner who "just opens everything" does, per base (closed paths must catch it). */
export const OPEN_EVERYTHING: Readonly<Partial<Record<BaseId, string>>> = {
  'docker-host': 'iptables -P FORWARD ACCEPT; iptables -F; iptables -X',
  'nft-router': "nft flush chain inet filter forward; nft 'chain inet filter forward { policy accept; }'",
};

export async function selfTestDrill(plan: DrillPlan): Promise<DrillSelfTestReport> {
  const started = performance.now();
  const head = { seed: plan.seed, base: plan.base.id, faults: plan.faults.map((f) => f.id) };
  const done = (status: DrillSelfTestStatus, detail?: string): DrillSelfTestReport => ({ ...head, status, ...(detail ? { detail } : {}), durationMs: Math.round(performance.now() - started) });
  let built;
  try {
    built = await buildDrill(plan);
  } catch (e) {
    return done('build failed', e instanceof Error ? e.message : String(e));
  }
  try {
    if (built.start.solved) return done('starts solved');
    await built.diagnoses;
    const solve = await solveWithDiagnoser(built.sandbox, plan);
    if (!solve.solved) {
      const end = await probeMatrix(built.sandbox, plan);
      return done('fixes do not solve it', `ran: ${solve.fixes.join(' ; ') || 'nothing (no fix printed)'}; still: ${end.paths.filter((p) => !p.ok).map((p) => `${p.probe.id} ${p.verdict}`).join(', ')}`);
    }
    const flush = OPEN_EVERYTHING[plan.base.id];
    if (flush && plan.closed.length > 0) {
      await built.sandbox.run(flush);
      const after = await probeMatrix(built.sandbox, plan);
      if (after.solved) return done('flushing passes it', flush);
    }
    return done('ok');
  } finally {
    await built.sandbox.dispose();
  }
}
