// Drills drawn from seeds (pure): the same seed gives the same drill, every drill has 1-3 faults
// from the catalogue on distinct paths, the filters hold, the matrix grades closed paths, and the
// ticket names no fault.
import { describe, expect, it } from 'vitest';
import { DRILL_BASES } from '../src/cli/drill.js';
import { gradeMatrix } from '../src/domain/drill/grade-matrix.js';
import { renderTicket } from '../src/domain/drill/drill-report.js';
import { planDrill } from '../src/domain/drill/plan-drill.js';
import { DRILL_EXTRAS, PATH_WORDS } from '../src/domain/faults/drill-matrix.js';
import { BASE_NETWORKS, FAULT_KINDS } from '../src/domain/faults/catalogue.js';
import { REFERENCE_FIXES } from '../src/domain/faults/drill-fixes.js';

const seeds = Array.from({ length: 300 }, (_, i) => i);

describe('planDrill', () => {
  it('the same seed gives the same drill; different seeds give many different ones', () => {
    for (const seed of seeds) expect(planDrill(seed, { bases: DRILL_BASES })).toEqual(planDrill(seed, { bases: DRILL_BASES }));
    const distinct = new Set(seeds.map((s) => planDrill(s, { bases: DRILL_BASES })!.faults.map((f) => f.id).join('+')));
    expect(distinct.size).toBeGreaterThan(100);
  });

  it('draws 1 to 3 catalogue faults of one base, each on another path and element', () => {
    const counts = new Set<number>();
    for (const seed of seeds) {
      const plan = planDrill(seed, { bases: DRILL_BASES })!;
      counts.add(plan.faults.length);
      expect(DRILL_BASES).toContain(plan.base.id);
      for (const f of plan.faults) {
        expect(FAULT_KINDS).toContain(f);
        expect(f.base).toBe(plan.base.id);
      }
      expect(new Set(plan.faults.map((f) => f.breaks)).size).toBe(plan.faults.length);
    }
    expect([...counts].sort()).toEqual([1, 2, 3]);
  });

  it('keeps to --topic (the first fault) and --level (every fault), and says when nothing matches', () => {
    for (const seed of seeds.slice(0, 60)) {
      const plan = planDrill(seed, { topic: 'nat', level: 2, bases: DRILL_BASES })!;
      expect(plan.faults[0]!.topic).toBe('nat');
      for (const f of plan.faults) expect(f.level).toBeLessThanOrEqual(2);
    }
    expect(planDrill(1, { topic: 'kubernetes', level: 1, bases: ['docker-host'] })).toBeUndefined();
  });

  it('every reference fix belongs to a fault kind of the catalogue', () => {
    for (const id of Object.keys(REFERENCE_FIXES)) expect(FAULT_KINDS.map((f) => f.id)).toContain(id);
  });

  it('every path has plain words, and the bases with a firewall policy have closed paths', () => {
    for (const b of BASE_NETWORKS) for (const p of [...b.probes, ...DRILL_EXTRAS[b.id].closed]) expect(PATH_WORDS[p.id], p.id).toBeDefined();
    expect(DRILL_EXTRAS['docker-host'].closed.length).toBeGreaterThan(0);
    expect(DRILL_EXTRAS['nft-router'].closed.length).toBeGreaterThan(0);
  });
});

describe('gradeMatrix and the ticket', () => {
  const plan = planDrill(7, { bases: DRILL_BASES })!;
  it('a closed path that opens fails the drill even when every open path works', () => {
    const allOpen = gradeMatrix(plan.open, plan.closed, () => ({ ok: true, seen: 'connected' }));
    expect(allOpen.solved).toBe(plan.closed.length === 0);
    const right = gradeMatrix(plan.open, plan.closed, (p) => ({ ok: !plan.closed.includes(p), seen: '' }));
    expect(right.solved).toBe(true);
  });

  it('the ticket lists the broken, working and closed paths and names no fault', () => {
    const start = gradeMatrix(plan.open, plan.closed, (p) => ({ ok: p.id !== plan.faults[0]!.breaks && !plan.closed.includes(p), seen: '' }));
    const ticket = renderTicket(plan, start);
    expect(ticket).toContain(`seed ${plan.seed}`);
    expect(ticket).toContain(PATH_WORDS[plan.faults[0]!.breaks]!);
    for (const f of plan.faults) {
      expect(ticket).not.toContain(f.id);
      expect(ticket).not.toContain(f.title);
    }
  });
});
