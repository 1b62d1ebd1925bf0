// A drill's words: the ticket the learner gets (plain words, no fault named), and the result at
// the end (JSON, JUnit testcases, the debrief text). Pure.
import type { Diagnosis } from '../diagnose/types.js';
import { pathWords } from '../faults/drill-matrix.js';
import type { JunitCase, JunitSuite } from '../report/junit.js';
import type { MatrixGrade, PathResult } from './grade-matrix.js';
import type { DrillPlan } from './plan-drill.js';

export type DrillOutcome = 'solved' | 'unsolved' | 'gave up';

export interface DrillResult {
  seed: number;
  base: string;
  outcome: DrillOutcome;
  faults: Array<{ id: string; title: string; topic: string; level: number; fix?: string }>;
  /** The diagnoser on each path broken at the start: what it found and its fix. */
  explanations: Array<{ path: string; found?: string; namespace?: string; fix: string[] }>;
  end: PathResult[];
  commands: string[];
  seconds: number;
}

/** The ticket: what users report as broken, what still works, and what must stay closed. */
export function renderTicket(plan: DrillPlan, start: MatrixGrade): string {
  const broken = start.paths.filter((p) => p.expect === 'open' && !p.ok).map((p) => `  - ${pathWords(p.probe)}`);
  const fine = start.paths.filter((p) => p.expect === 'open' && p.ok).map((p) => `  - ${pathWords(p.probe)}`);
  const closed = start.paths.filter((p) => p.expect === 'closed').map((p) => `  - ${pathWords(p.probe)}`);
  return [
    `Ticket (drill seed ${plan.seed}, ${plan.base.title})`,
    '',
    'Since this morning these no longer work:',
    ...broken,
    ...(fine.length ? ['', 'These still work and must keep working:', ...fine] : []),
    ...(closed.length ? ['', 'Security insists these stay CLOSED (the firewall policy is deliberate):', ...closed] : []),
    '',
    'Fix it from this shell. Type `exit` (or Ctrl-D) when you think it is fixed, `giveup` to see the answer.',
    `Retry this drill: netns-tutor drill --seed ${plan.seed}`,
  ].join('\n');
}

export function explainDiagnosis(path: string, d: Diagnosis | undefined): DrillResult['explanations'][number] {
  if (!d?.fault) return { path, fix: [] };
  return { path, found: d.fault.what, namespace: d.fault.namespace, fix: d.fault.fix };
}

export function renderDebrief(r: DrillResult): string {
  const verdict = r.outcome === 'solved' ? 'SOLVED' : r.outcome === 'gave up' ? 'GAVE UP' : 'NOT SOLVED';
  const mark = (p: PathResult) => `  ${p.ok ? '✓' : '✗'} ${pathWords(p.probe)}: ${p.verdict} (${p.seen})`;
  const minutes = Math.floor(r.seconds / 60);
  return [
    `Drill seed ${r.seed}: ${verdict} in ${minutes}m${String(Math.round(r.seconds % 60)).padStart(2, '0')}s`,
    '',
    'The network now:',
    ...r.end.map(mark),
    '',
    `What was broken (${r.faults.length} fault${r.faults.length === 1 ? '' : 's'}):`,
    ...r.faults.flatMap((f) => [`  - ${f.title} [${f.topic}, level ${f.level}]`, ...(f.fix ? f.fix.split('\n').map((l) => `      ${l}`) : [])]),
    '',
    'What the diagnoser saw at the start:',
    ...r.explanations.flatMap((e) => (e.found ? [`  ${e.path}: ${e.found} (in ${e.namespace})`, ...e.fix.map((f) => `      ${f}`)] : [`  ${e.path}: the diagnoser found no single culprit`])),
    '',
    r.commands.length ? 'Your commands:' : 'You ran no commands.',
    ...r.commands.map((c) => `  $ ${c}`),
  ].join('\n');
}

/** One testcase per path of the matrix, in one suite carrying the seed and the outcome. */
export function drillJunitSuite(r: DrillResult): JunitSuite {
  const cases: JunitCase[] = r.end.map((p) => ({
    name: `${p.expect === 'open' ? 'works' : 'stays closed'}: ${p.probe.id}`,
    classname: `drill.${r.base}`,
    outcome: p.ok ? 'passed' : 'failed',
    ...(p.ok ? {} : { message: `${pathWords(p.probe)} is ${p.verdict} (${p.seen})` }),
  }));
  return { name: `drill seed ${r.seed}`, cases, seconds: r.seconds, properties: { seed: r.seed, base: r.base, outcome: r.outcome } };
}
