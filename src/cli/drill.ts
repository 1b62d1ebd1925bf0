// `netns-tutor drill [--seed N] [--topic T] [--level L] [--answers FILE] [--json|--junit]`: a
// working network broken by 1-3 faults from the catalogue, a ticket in plain words, a shell to fix
// it in (or a script, for autograders), graded on the connectivity matrix, and a debrief.
import { explainDiagnosis, drillJunitSuite, renderDebrief, renderTicket, type DrillResult } from '../domain/drill/drill-report.js';
import { DRILL_TOPICS, planDrill } from '../domain/drill/plan-drill.js';
import { freshSeed } from '../domain/drill/seeded-random.js';
import type { BaseId, FaultLevel, FaultTopic } from '../domain/faults/types.js';
import { renderJunit } from '../domain/report/junit.js';
import { pathWords } from '../domain/faults/drill-matrix.js';
import { REFERENCE_FIXES } from '../domain/faults/drill-fixes.js';
import { buildDrill, gradeAtEnd } from '../app/drill/build-drill.js';
import { playAnswers, playInTerminal } from '../app/drill/play-drill.js';
import { AbortError, BugError, UsageError } from '../domain/errors.js';
import { inBatches } from '../app/exam/self-test-bank.js';
import { selfTestDrill } from '../app/drill/self-test-drills.js';

/** The bases a drill is built on: those built by a script in well under a second (the course's
 *  lesson 7 end state needs the course replayed, which takes seconds). */
export const DRILL_BASES: readonly BaseId[] = ['docker-host', 'kube-cluster', 'policy-router', 'nft-router'];

export interface DrillOptions {
  /** `--self-test N`: the drills of seeds 0..N-1 (with --topic/--level) checked as a self-test. */
  selfTest?: string;
  seed?: string;
  topic?: string;
  level?: string;
  answers?: string;
  json?: boolean;
  junit?: boolean;
}

function parseOptions(opts: DrillOptions): { seed: number; topic?: FaultTopic; level?: FaultLevel } {
  const seed = opts.seed === undefined ? freshSeed(Math.random()) : Number(opts.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed takes a whole number, not "${opts.seed}".`, 'For example: netns-tutor drill --seed 42');
  if (opts.topic !== undefined && !DRILL_TOPICS.includes(opts.topic as FaultTopic)) throw new UsageError(`there is no drill topic "${opts.topic}".`, `Topics: ${DRILL_TOPICS.join(', ')}.`);
  if (opts.level !== undefined && !['1', '2', '3'].includes(opts.level)) throw new UsageError(`--level takes 1, 2 or 3, not "${opts.level}".`, '1: one visible thing is off; 2: a table to read; 3: a chain of rules to follow.');
  return { seed, ...(opts.topic ? { topic: opts.topic as FaultTopic } : {}), ...(opts.level ? { level: Number(opts.level) as FaultLevel } : {}) };
}

export async function runDrill(opts: DrillOptions): Promise<number> {
  if (process.env.NETNS_TUTOR_SANDBOX) throw new AbortError('a drill makes its own sandbox; run it outside `netns-tutor shell`.', 'Type `exit` to leave this sandbox first.');
  const { seed, topic, level } = parseOptions(opts);
  if (opts.selfTest !== undefined) return selfTestDrills(opts, { ...(topic ? { topic } : {}), ...(level ? { level } : {}) });
  const machine = opts.json || opts.junit;
  if (!opts.answers && !process.stdin.isTTY) throw new UsageError('a drill needs a terminal to play in, or --answers FILE to run a script instead.', `For an autograder: netns-tutor drill --seed ${seed} --answers answers.sh --junit`);
  const plan = planDrill(seed, { ...(topic ? { topic } : {}), ...(level ? { level } : {}), bases: DRILL_BASES });
  if (!plan) throw new UsageError(`no fault in the catalogue is ${topic ? `about ${topic}` : ''}${topic && level ? ' and ' : ''}${level ? `at level ${level} or below` : ''}.`, 'Drop --level or choose another --topic.');
  const started = performance.now();
  const built = await buildDrill(plan);
  try {
    if (built.start.solved) throw new BugError(`drill seed ${seed} starts solved: its faults (${plan.faults.map((f) => f.id).join(', ')}) broke no path`);
    const ticket = renderTicket(plan, built.start);
    (machine ? process.stderr : process.stdout).write(`${ticket}\n\n`);
    // the diagnoser reads the world as the faults left it: it finishes (while the ticket is being
    // read) before the learner's shell or script may change anything
    const diagnoses = await built.diagnoses;
    const play = opts.answers ? await playAnswers(built.sandbox, opts.answers) : await playInTerminal(built.sandbox);
    const end = await gradeAtEnd(built.sandbox, plan);
    const broken = built.start.paths.filter((p) => !p.ok && p.expect === 'open');
    const result: DrillResult = {
      seed,
      base: plan.base.id,
      outcome: play.gaveUp ? 'gave up' : end.solved ? 'solved' : 'unsolved',
      faults: plan.faults.map((f) => ({ id: f.id, title: f.title, topic: f.topic, level: f.level, ...(REFERENCE_FIXES[f.id] ? { fix: REFERENCE_FIXES[f.id] } : {}) })),
      explanations: broken.map((p, i) => explainDiagnosis(pathWords(p.probe), diagnoses[i])),
      end: end.paths,
      commands: play.commands,
      seconds: Math.round(performance.now() - started) / 1000,
    };
    if (opts.junit) process.stdout.write(renderJunit('netns-tutor drill', [drillJunitSuite(result)]));
    else if (opts.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    else process.stdout.write(`\n${renderDebrief(result)}\n`);
    return result.outcome === 'solved' ? 0 : 1;
  } finally {
    await built.sandbox.dispose();
  }
}

async function selfTestDrills(opts: DrillOptions, filter: { topic?: FaultTopic; level?: FaultLevel }): Promise<number> {
  const count = Number(opts.selfTest);
  if (!Number.isSafeInteger(count) || count < 1) throw new UsageError(`--self-test takes how many seeds to test, not "${opts.selfTest}".`, 'For example: netns-tutor drill --self-test 40');
  const plans = Array.from({ length: count }, (_, s) => planDrill(s, { ...filter, bases: DRILL_BASES })).filter((p) => p !== undefined);
  const machine = opts.json || opts.junit;
  const reports = await inBatches(plans, 3, selfTestDrill, (r) => {
    if (!machine) process.stdout.write(`${r.status === 'ok' ? '✓' : '✗'} seed ${r.seed} ${r.base}: ${r.faults.join(', ')}${r.status === 'ok' ? '' : `: ${r.status}${r.detail ? ` (${r.detail})` : ''}`}\n`);
  });
  const ok = reports.filter((r) => r.status === 'ok').length;
  if (opts.junit) {
    process.stdout.write(renderJunit('netns-tutor drill --self-test', [{ name: 'drills', cases: reports.map((r) => ({ name: `seed ${r.seed}: ${r.faults.join(', ')}`, classname: `drill.${r.base}`, outcome: r.status === 'ok' ? 'passed' : 'failed', seconds: r.durationMs / 1000, ...(r.status === 'ok' ? {} : { message: `${r.status}${r.detail ? `: ${r.detail}` : ''}` }) })) }]));
  } else if (opts.json) process.stdout.write(`${JSON.stringify({ drills: reports, ok, failed: reports.length - ok }, null, 2)}\n`);
  else process.stdout.write(`\n${ok} of ${reports.length} drills sound.\n`);
  return ok === reports.length ? 0 : 1;
}
