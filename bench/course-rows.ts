// Benchmark rows for the course engine: evaluating a step's checks (every step after its
// solution; a failing reachability check), the whole course replayed and evaluated, the
// `test-lessons` command, and resuming at lesson 7; each beside the floor in course-floors.ts.
// Loaded by bench/run.ts.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { evaluateChecksIn, evaluateStep } from '../src/app/checks/evaluate-step.js';
import { probeKey, reachRequestOf } from '../src/domain/checks/probe-types.js';
import type { Course, Lesson } from '../src/domain/lesson/types.js';
import { loadCourse } from '../src/app/course/load-course.js';
import { planReplay, solutionPart, type ReplayPart } from '../src/domain/lesson/replay-plan.js';
import { prepareState, replayParts } from '../src/app/course/replay.js';
import { createPreparedSandbox } from '../src/app/course/prepared-sandbox.js';
import { createArgv } from '../src/world/sandbox/argv.js';
import { createSandbox, defaultMode, initEnv } from '../src/world/sandbox/sandbox.js';
import { OUTER_SCRIPT } from '../src/world/sandbox/init-script.js';
import { plainReplayScript, rawCheckScript } from './course-floors.js';
import type { Row } from './rows.js';
import { summarise } from './stats.js';

const root = fileURLToPath(new URL('..', import.meta.url));

interface Spawned {
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

function timeCommand(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - t, code, stdout, stderr }));
  });
}

/** The floor: plain bash as the init of a fresh `unshare` sandbox, building the same world and
 *  running `parts` (see plainReplayScript). */
export async function timePlainReplay(parts: readonly ReplayPart[]): Promise<number> {
  const mode = defaultMode();
  // the inputs src/world/sandbox/sandbox.ts gives its init
  // the outer script builds the file tree, then runs the floor as the init (NT_INIT)
  const env = { ...process.env, ...initEnv('floor', undefined), NT_MODE: mode, NT_OUTER: OUTER_SCRIPT, NT_INIT: `${plainReplayScript(parts)}\necho floor-done` };
  const r = await timeCommand(createArgv(mode, ['bash', '-c', 'eval "$NT_OUTER"']), env);
  if (!r.stdout.includes('floor-done')) throw new Error(`the plain-bash floor did not run to its end (exit ${r.code}): ${r.stderr.trim().slice(-500)}`);
  return r.ms;
}

/** Runs jobs at most `limit` at a time. */
async function pooled(jobs: ReadonlyArray<() => Promise<unknown>>, limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await jobs[next++]!();
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

const wholeLesson = (course: Course, l: Lesson) => planReplay(course, l.id, l.steps.length);

interface StepTimes {
  label: string;
  ours: number;
  floor: number;
}
/** One timed evaluation of a failing reachability check (each run keeps its own outcome: the
 *  kernel rate-limits ICMP errors, so a repeated probe may wait where the first was refused). */
interface FailingReach {
  label: string;
  /** ping, or a TCP connect / HTTP GET */
  probe: 'ping' | 'tcp';
  outcome: string;
  ms: number;
}

/** One pass over the course, lesson by lesson in a fresh sandbox: before each solution, every
 *  reachability check that fails is timed `k` times; after it, the step's checks `k` times,
 *  interleaved with their raw floor. */
async function measureSteps(course: Course, k: number, log: (s: string) => void) {
  const steps: StepTimes[] = [];
  const failing: FailingReach[] = [];
  const problems: string[] = [];
  const median = (xs: number[]) => summarise(xs).median;
  for (const lesson of course.lessons) {
    const sb = await createSandbox();
    const first = steps.length;
    try {
      await prepareState(sb, course, lesson.id, { stepIndex: 0 });
      for (const step of lesson.steps) {
        const label = `${lesson.number}.${step.number} ${step.id}`;
        for (const c of step.checks) {
          if (c.kind !== 'reach' || c.fails) continue;
          const before = await evaluateChecksIn(sb, [c]);
          if (before.results[0]?.status !== 'fail') continue;
          const tcp = c.port !== undefined || c.http !== undefined;
          const what = `${label}: ${c.from} -> ${c.reach}${tcp ? `:${c.port ?? 80}` : ''}`;
          for (let i = 0; i < k; i++) {
            const t = performance.now();
            const r = await evaluateChecksIn(sb, [c]);
            const ms = performance.now() - t;
            failing.push({ label: what, probe: tcp ? 'tcp' : 'ping', outcome: r.probes[probeKey(reachRequestOf(c))]?.outcome ?? '?', ms });
          }
        }
        await replayParts(sb, [solutionPart(lesson.id, step.id, step.solution)]);
        if (!(await evaluateStep(sb, step)).passed) problems.push(`${label} does not pass after its solution`);
        const ours: number[] = [];
        const floor: number[] = [];
        const raw = rawCheckScript(step.checks);
        for (let i = 0; i < k; i++) {
          let t = performance.now();
          await evaluateStep(sb, step);
          ours.push(performance.now() - t);
          t = performance.now();
          await sb.run(raw);
          floor.push(performance.now() - t);
        }
        steps.push({ label, ours: median(ours), floor: median(floor) });
      }
    } finally {
      await sb.dispose();
    }
    const mine = steps.slice(first);
    log(`  lesson ${lesson.number} ${lesson.id}: checks ${mine.map((s) => s.ours.toFixed(0)).join(' ')} ms (floor ${mine.map((s) => s.floor.toFixed(0)).join(' ')})\n`);
  }
  return { steps, failing, problems };
}

/** The core of test-lessons, lessons in turn: a fresh sandbox per lesson brought to its start,
 *  then each step's solution replayed and its checks evaluated once. */
async function replayAndEvaluate(course: Course): Promise<string[]> {
  const failed: string[] = [];
  for (const lesson of course.lessons) {
    const sb = await createSandbox();
    try {
      await prepareState(sb, course, lesson.id, { stepIndex: 0 });
      for (const step of lesson.steps) {
        await replayParts(sb, [solutionPart(lesson.id, step.id, step.solution)]);
        if (!(await evaluateStep(sb, step)).passed) failed.push(`${lesson.number}.${step.number}`);
      }
    } finally {
      await sb.dispose();
    }
  }
  return failed;
}

function stepRows(measured: Awaited<ReturnType<typeof measureSteps>>, k: number): Row[] {
  const { steps, failing, problems } = measured;
  const slowest = [...steps].sort((a, b) => b.ours - a.ours)[0];
  const waited = (f: FailingReach) => f.outcome === 'no-reply' || f.outcome === 'timed-out';
  const waits = failing.filter((f) => waited(f) && f.probe === 'ping');
  const tcpWaits = failing.filter((f) => waited(f) && f.probe === 'tcp');
  const quick = failing.filter((f) => !waited(f));
  const checks = (fs: FailingReach[]) => new Set(fs.map((f) => f.label)).size;
  return [
    {
      figure: `evaluate a passing step's checks (all ${steps.length} steps)`,
      ours: summarise(steps.map((s) => s.ours)),
      floor: summarise(steps.map((s) => s.floor)),
      floorLabel: 'raw ip -j/iptables-save/ss/ping they need, 1 run call',
      unit: 'ms',
      target: '<= 50',
      note:
        `median and spread over the steps, each step the median of ${k} evaluations after its solution. ` +
        `Floor: only the objects the checks name (ip -j link/addr/route in their namespace, iptables-save -t TABLE, ss, cat, the same ping/curl probe), all in parallel in one run-API bash, output unparsed; ours reads the whole world (every namespace) and parses it.` +
        (slowest ? ` Slowest step: ${slowest.label} ${slowest.ours.toFixed(0)} ms.` : '') +
        (problems.length ? ` PROBLEM: ${problems.join('; ')}.` : ''),
    },
    {
      figure: 'a failing reachability check (ping, no reply)',
      ...(waits.length ? { ours: summarise(waits.map((f) => f.ms)) } : {}),
      floorLabel: '',
      unit: 'ms',
      target: '<= 300',
      note:
        `the course's reachability checks evaluated alone (snapshot and probe, as the tutor does) before their step's solution, where they fail, ${k} times each: ${waits.length} runs of ${checks(waits)} ping checks get no reply and wait out the probe's 250 ms (this row); ` +
        `${quick.length} runs of ${checks(quick)} checks fail at once (unreachable, refused, no namespace yet), median ${quick.length ? summarise(quick.map((f) => f.ms)).median.toFixed(0) : '—'} ms.`,
    },
    {
      figure: 'a failing TCP/HTTP check (no answer)',
      ...(tcpWaits.length ? { ours: summarise(tcpWaits.map((f) => f.ms)) } : {}),
      floorLabel: '',
      unit: 'ms',
      target: '<= 300',
      note: `${tcpWaits.length} runs of ${[...new Set(tcpWaits.map((f) => f.label))].join('; ') || 'no check (none timed out this time)'}: HTTP waits curl --connect-timeout 0.25 s, a plain TCP connect 0.5 s (src/world/probes/probe-scripts.ts); the first try of such a check often fails at once (an ICMP error), a repeat within a second waits (ICMP errors are rate-limited).`,
    },
  ];
}

export async function measure(N: (k: number) => number, log: (s: string) => void): Promise<Row[]> {
  const course = await loadCourse();
  const rows: Row[] = [];
  const k = N(5);

  log('course: every step (checks before and after its solution) ...\n');
  rows.push(...stepRows(await measureSteps(course, k, log), k));

  log('course: whole course, in-process ...\n');
  const whole: number[] = [];
  const wholeFloor: number[] = [];
  const wholeFailed = new Set<string>();
  for (let i = 0; i < N(3); i++) {
    let t = performance.now();
    for (const f of await replayAndEvaluate(course)) wholeFailed.add(f);
    whole.push(performance.now() - t);
    t = performance.now();
    for (const l of course.lessons) await timePlainReplay(wholeLesson(course, l));
    wholeFloor.push(performance.now() - t);
  }
  rows.push({
    figure: 'whole course: replay every solution, evaluate every check',
    ours: summarise(whole),
    floor: summarise(wholeFloor),
    floorLabel: 'plain bash, same solutions, fresh unshare each',
    unit: 'ms',
    target: '<= 1.5x floor',
    note:
      "lessons in turn, each in a fresh sandbox from its `requires` chain, as test-lessons does (once, not before/after/again). Floor: per lesson one `unshare` running plain bash: the sandbox init's world (with the simulated internet) then the same files, setup and solutions, the same fast ping as replays; no node, no checks." +
      (wholeFailed.size ? ` PROBLEM: steps not passing: ${[...wholeFailed].join(', ')}.` : ''),
  });

  log('course: netns-tutor test-lessons ...\n');
  const selfTest: number[] = [];
  const selfTestFloor: number[] = [];
  const exits = new Set<number | null>();
  for (let i = 0; i < N(3); i++) {
    const r = await timeCommand([process.execPath, `${root}bin/netns-tutor.js`, 'test-lessons', '--json']);
    exits.add(r.code);
    selfTest.push(r.ms);
    const t = performance.now();
    await pooled(course.lessons.map((l) => () => timePlainReplay(wholeLesson(course, l))), 2);
    selfTestFloor.push(performance.now() - t);
  }
  rows.push({
    figure: 'netns-tutor test-lessons (the CLI, whole self-test)',
    ours: summarise(selfTest),
    floor: summarise(selfTestFloor),
    floorLabel: 'the same plain bash, 2 lessons at a time',
    unit: 'ms',
    note: `evaluates each step before, after and again after its solution, 2 lessons at a time, host fingerprint before and after; exit ${[...exits].join('/')}.`,
  });

  const seventh = course.lessons[6];
  if (seventh) {
    log('course: resume at lesson 7 ...\n');
    const parts = planReplay(course, seventh.id, 0);
    const resume: number[] = [];
    const resumeFloor: number[] = [];
    for (let i = 0; i < N(10); i++) {
      const t = performance.now();
      const sb = await createPreparedSandbox(course, seventh.id, 0);
      resume.push(performance.now() - t);
      await sb.dispose();
      resumeFloor.push(await timePlainReplay(parts));
    }
    rows.push({
      figure: `resume at lesson 7 (${seventh.id}): fresh sandbox + replay`,
      ours: summarise(resume),
      floor: summarise(resumeFloor),
      floorLabel: 'plain bash in a fresh unshare, same replay',
      unit: 'ms',
      target: '<= 1000',
      note: `createPreparedSandbox to step 1, as the tutor does (the replay is the init's first script): ${parts.length} parts (the requires chain ${[...new Set(parts.map((p) => p.lessonId))].join(' -> ')}).`,
    });
  }
  return rows;
}
