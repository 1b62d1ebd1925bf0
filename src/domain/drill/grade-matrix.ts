// Grading a connectivity matrix: every path that must work works, every path that must stay
// closed stays closed. Pure over the probes' outcomes.
import type { PathProbe } from '../faults/types.js';

export type PathVerdict = 'works' | 'broken' | 'closed' | 'wrongly open';

export interface PathResult {
  probe: PathProbe;
  expect: 'open' | 'closed';
  ok: boolean;
  verdict: PathVerdict;
  /** What the probe saw (connected, timeout, refused...). */
  seen: string;
}

export interface MatrixGrade {
  paths: PathResult[];
  solved: boolean;
}

export function gradeMatrix(open: readonly PathProbe[], closed: readonly PathProbe[], outcome: (p: PathProbe) => { ok: boolean; seen: string }): MatrixGrade {
  const paths: PathResult[] = [
    ...open.map((probe): PathResult => {
      const o = outcome(probe);
      return { probe, expect: 'open', ok: o.ok, verdict: o.ok ? 'works' : 'broken', seen: o.seen };
    }),
    ...closed.map((probe): PathResult => {
      const o = outcome(probe);
      return { probe, expect: 'closed', ok: !o.ok, verdict: o.ok ? 'wrongly open' : 'closed', seen: o.seen };
    }),
  ];
  return { paths, solved: paths.every((p) => p.ok) };
}
