// The diagnoser judged on the fault catalogue (issue 11), in real sandboxes: for every (base,
// fault) the probe fails after injection, the diagnosis names the injected element, and the
// printed fix, run exactly as printed, makes the probe pass; on every healthy base every probe
// is diagnosed reachable. Prints the score table (kept in README "How good is diagnose") and
// asserts the scores reached so far never drop. One fresh sandbox per case (re-creating is the
// only reset that cannot leak one case's state into the next), six at a time (most of a case is
// waiting for a probe's timeout).
import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox, type Sandbox } from '../src/world/sandbox/sandbox.js';
import { diagnose } from '../src/app/diagnose/diagnose.js';
import { probePaths } from '../src/world/probes/run-probes.js';
import type { Diagnosis } from '../src/domain/diagnose/types.js';
import { BASE_NETWORKS, FAULT_KINDS, faultCases, namesElement, type FaultCase } from '../src/domain/faults/catalogue.js';
import type { BaseNetwork, PathProbe } from '../src/domain/faults/types.js';
import { loadCourse } from '../src/app/course/load-course.js';
import { planReplay } from '../src/domain/lesson/replay-plan.js';
import { replayParts } from '../src/app/course/replay.js';
import { createLimiter } from './diagnose-labs.js';
import { DRILL_EXTRAS } from '../src/domain/faults/drill-matrix.js';

const PARALLEL = 6;
const limited = createLimiter(PARALLEL);

const course = loadCourse();

async function buildBase(sandbox: Sandbox, base: BaseNetwork): Promise<void> {
  if (base.setup.kind === 'course-end') {
    const c = await course;
    const lesson = c.lessons.find((l) => l.id === (base.setup as { lesson: string }).lesson)!;
    await replayParts(sandbox, planReplay(c, lesson.id, lesson.steps.length));
    if (base.setup.then) await mustRun(sandbox, base.setup.then, `${base.id} setup`);
  } else {
    await mustRun(sandbox, base.setup.script, `${base.id} setup`);
  }
  // what the drills add: listeners and routes that make the paths that must stay closed testable
  if (DRILL_EXTRAS[base.id].setup) await mustRun(sandbox, DRILL_EXTRAS[base.id].setup, `${base.id} drill setup`);
}

/** After a fix: every path of the base works again, and every path its policy keeps closed is
 *  still closed (a fix that opens the firewall wide is no fix). The paths it got wrong. */
async function matrixAfterFix(sandbox: Sandbox, base: BaseNetwork): Promise<string[]> {
  const extra = DRILL_EXTRAS[base.id];
  const open = [...base.probes, ...extra.open];
  const results = await probePaths(sandbox, [...open, ...extra.closed]);
  return results.flatMap((r, i) => (i < open.length ? (r.outcome === 'ok' ? [] : [`${open[i]!.id} still broken`]) : r.outcome === 'ok' ? [`${extra.closed[i - open.length]!.id} opened`] : []));
}

async function mustRun(sandbox: Sandbox, script: string, what: string): Promise<void> {
  const r = await sandbox.run(`set -e\n${script}`, { timeoutMs: 20_000 });
  expect(r.exitCode, `${what}: ${r.stderr}`).toBe(0);
}

const probeIn = async (sandbox: Sandbox, p: PathProbe) => (await probePaths(sandbox, [p]))[0]!;
const target = (p: PathProbe) => `${p.to.address}${p.to.port === undefined ? '' : `:${p.to.port}`}`;

type Outcome = 'named' | 'false culprit' | 'gave up';
interface Score {
  id: string;
  base: string;
  outcome: Outcome;
  fixWorks: boolean;
  /** The fix also left every other path of the base working (and the closed ones closed). */
  restoresAll: boolean;
  /** Closed paths the fix opened. */
  opened: string[];
}
const scores: Score[] = [];
const falseAlarms: string[] = [];

function textOf(d: Diagnosis): string {
  return d.fault ? [d.fault.kind, d.fault.what, ...d.fault.evidence.flatMap((e) => [e.command, e.line])].join('\n') : '';
}

async function judgeCase(c: FaultCase): Promise<{ d: Diagnosis; outcome: Outcome; fixWorks: boolean; fixOutput: string; opened: string[]; restoresAll: boolean }> {
  return limited(async () => {
    const sandbox = await createSandbox();
    try {
      await buildBase(sandbox, c.base);
      await mustRun(sandbox, c.fault.inject, `${c.fault.id} inject`);
      // diagnose sends the probe itself: its outcome is the proof the fault breaks the path
      const d = await diagnose(sandbox, c.probe.from, c.probe.to);
      expect(d.probe?.outcome, `${c.fault.id} must break ${c.probe.id}`).not.toBe('ok');
      const outcome: Outcome = !d.fault ? 'gave up' : namesElement(c.fault, { namespace: d.fault.namespace, text: textOf(d) }) ? 'named' : 'false culprit';
      let fixWorks = false;
      let fixOutput = '';
      let opened: string[] = [];
      let restoresAll = false;
      // a fix is a promise: applied exactly as printed (advice lines, starting with '#', are not
      // runnable, so a fix that is only advice does not count as working)
      if (d.fault && d.fault.fix.length > 0 && d.fault.fix.every((f) => !f.startsWith('#'))) {
        const r = await sandbox.run(`set -e\n${d.fault.fix.join('\n')}`, { timeoutMs: 10_000 });
        fixOutput = `exit ${r.exitCode} ${r.stderr}`;
        fixWorks = r.exitCode === 0 && (await probeIn(sandbox, c.probe)).outcome === 'ok';
        if (fixWorks) {
          const wrong = await matrixAfterFix(sandbox, c.base);
          // a fix that opens a path the policy keeps closed breaks its promise; one that leaves
          // another path broken (a route the fault took with it) is scored as not restoring all
          opened = wrong.filter((w) => w.endsWith('opened'));
          restoresAll = wrong.length === 0;
          if (opened.length > 0) fixWorks = false;
          if (wrong.length > 0) fixOutput = `the fix made the probe pass, but: ${wrong.join(', ')}`;
        }
      }
      return { d, outcome, fixWorks, fixOutput, opened, restoresAll };
    } finally {
      await sandbox.dispose();
    }
  });
}

describe.concurrent('the fault catalogue', () => {
  it('holds at least 60 fault kinds over at least 5 base networks, with unique ids', () => {
    expect(FAULT_KINDS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(FAULT_KINDS.map((f) => f.id)).size).toBe(FAULT_KINDS.length);
    expect(new Set(FAULT_KINDS.map((f) => f.base)).size).toBeGreaterThanOrEqual(5);
  });

  it.each(BASE_NETWORKS.map((b) => ({ id: b.id, base: b })))('healthy $id: every probe passes and is diagnosed reachable', async ({ base }) => {
    await limited(async () => {
      const sandbox = await createSandbox();
      try {
        await buildBase(sandbox, base);
        for (const p of base.probes) {
          const d = await diagnose(sandbox, p.from, p.to);
          expect(d.probe?.outcome, `${p.id}: ${JSON.stringify(d.probe)}`).toBe('ok');
          if (d.verdict !== 'reachable' || d.fault) falseAlarms.push(`${base.id} ${p.id}: ${d.verdict} ${d.fault?.what ?? ''}`);
        }
      } finally {
        await sandbox.dispose();
      }
    });
  });

  it.each(faultCases().map((c) => ({ id: c.fault.id, c })))('$id', async ({ c }) => {
    const r = await judgeCase(c);
    scores.push({ id: c.fault.id, base: c.base.id, outcome: r.outcome, fixWorks: r.fixWorks, restoresAll: r.restoresAll, opened: r.opened });
    if (r.outcome !== 'named' || !r.fixWorks || !r.restoresAll) {
      console.log(`${c.fault.id} (${c.probe.from} -> ${target(c.probe)}): ${r.outcome}${r.fixWorks ? '' : ', fix does not work'}\n  expected ${c.fault.element.namespace}: ${c.fault.element.mention}\n  got ${r.d.verdict} ${r.d.fault ? `${r.d.fault.kind}@${r.d.fault.namespace}: ${r.d.fault.what}\n  fix: ${r.d.fault.fix.join(' ; ')} ${r.fixOutput}` : r.d.notes.join(' | ')}`);
    }
  });
});

/** The floors the diagnoser has reached (raise them as it improves; issue 11's targets are
 *  named >= 95%, fix works >= 95%, no false culprit, no false alarm). */
const FLOOR = { named: 0.95, fixWorks: 0.9, falseCulprits: 2, falseAlarms: 0 };

afterAll(() => {
  const rows = BASE_NETWORKS.map((b) => b.id).map((id) => [id, scores.filter((s) => s.base === id)] as const);
  const pct = (n: number, of: number) => (of === 0 ? '-' : `${Math.round((100 * n) / of)}%`);
  const line = (name: string, s: readonly Score[]) =>
    `| ${name.padEnd(14)} | ${String(s.length).padStart(5)} | ${pct(s.filter((x) => x.outcome === 'named').length, s.length).padStart(5)} | ${pct(s.filter((x) => x.fixWorks).length, s.length).padStart(9)} | ${pct(s.filter((x) => x.restoresAll).length, s.length).padStart(12)} | ${String(s.filter((x) => x.outcome === 'false culprit').length).padStart(13)} | ${String(s.filter((x) => x.outcome === 'gave up').length).padStart(7)} |`;
  const table = [
    '| base           | cases | named | fix works | restores all | false culprit | gave up |',
    '|----------------|-------|-------|-----------|--------------|---------------|---------|',
    ...rows.map(([id, s]) => line(id, s)),
    line('all', scores),
  ];
  console.log(`${table.join('\n')}\nfalse alarms on healthy bases: ${falseAlarms.length}${falseAlarms.map((f) => `\n  ${f}`).join('')}`);
  if (scores.length < FAULT_KINDS.length) return; // a filtered run (-t): no totals to judge
  const named = scores.filter((s) => s.outcome === 'named').length / scores.length;
  const fixWorks = scores.filter((s) => s.fixWorks).length / scores.length;
  expect(named).toBeGreaterThanOrEqual(FLOOR.named);
  expect(fixWorks).toBeGreaterThanOrEqual(FLOOR.fixWorks);
  expect(scores.filter((s) => s.outcome === 'false culprit').length).toBeLessThanOrEqual(FLOOR.falseCulprits);
  expect(falseAlarms.length).toBeLessThanOrEqual(FLOOR.falseAlarms);
  // a printed fix never opens a path the base's policy keeps closed
  expect(scores.flatMap((s) => s.opened.map((o) => `${s.id}: ${o}`))).toEqual([]);
});
