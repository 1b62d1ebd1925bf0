// The lesson engine's numbers, beside their floors: evaluating a passing step, a failing reachability
// check, preparing the state before lesson 7, and the whole self-test. Standalone:
// `npx tsx bench/checks.ts [--quick]` (bench/run.ts has its own course rows).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { evaluateStep } from '../src/checks/evaluate-step.js';
import type { Course, Lesson } from '../src/core/lesson/types.js';
import { loadCourse } from '../src/course/load-course.js';
import { planReplay } from '../src/course/replay-plan.js';
import { prepareState } from '../src/course/replay.js';
import { takeSnapshot } from '../src/observe/take-snapshot.js';
import { createSandbox, type Sandbox } from '../src/sandbox/sandbox.js';
import type { Row } from './run.js';
import { sample, summarise } from './stats.js';

const root = fileURLToPath(new URL('..', import.meta.url));

async function inSandbox<T>(fn: (sb: Sandbox) => Promise<T>): Promise<T> {
  const sb = await createSandbox();
  try {
    return await fn(sb);
  } finally {
    await sb.dispose();
  }
}

/** Replays run ping with -i 0.01 -W 0.2 (src/course/replay-plan.ts); a fair floor does too. */
const FAST_PING = String.raw`mkdir -p /run/tutor/floor-bin
printf '#!/bin/bash\nexec -a ping %q "$@" -i 0.01 -W 0.2\n' "$(command -v ping)" >/run/tutor/floor-bin/ping
chmod 755 /run/tutor/floor-bin/ping; PATH=/run/tutor/floor-bin:$PATH`;

/** The lesson's setup and every solution as one plain bash script (no markers, real ping). */
function plainScript(course: Course, lesson: Lesson, steps = lesson.steps.length): string {
  return planReplay(course, lesson.id, steps)
    .filter((p) => p.lessonId === lesson.id)
    .map((p) => `(cd /root; ${p.script}\n) </dev/null >/dev/null 2>&1`)
    .join('\n');
}

function timeCli(args: string[]): Promise<number> {
  const t = performance.now();
  return new Promise((resolve) => execFile(process.execPath, ['bin/netns-tutor.js', ...args], { cwd: root, maxBuffer: 64 << 20 }, () => resolve(performance.now() - t)));
}

export async function measure(N: (k: number) => number, log: (s: string) => void): Promise<Row[]> {
  const rows: Row[] = [];
  const course = await loadCourse();

  log('course: evaluating passing steps ...\n');
  const passing: number[] = [];
  const snapshots: number[] = [];
  for (const lesson of course.lessons) {
    const step = lesson.steps.at(-1)!;
    await inSandbox(async (sb) => {
      await prepareState(sb, course, lesson.id, { stepIndex: lesson.steps.length });
      const first = await evaluateStep(sb, step);
      if (!first.passed) log(`  (${lesson.id}/${step.id} does not pass after its solution: skipped)\n`);
      else for (let i = 0; i < N(10); i++) passing.push((await evaluateStep(sb, step)).durationMs);
      for (let i = 0; i < N(10); i++) {
        const t = performance.now();
        await takeSnapshot(sb);
        snapshots.push(performance.now() - t);
      }
    });
  }
  rows.push({
    figure: "evaluate a passing step's checks (last step of each lesson)",
    ours: summarise(passing),
    floor: summarise(snapshots),
    floorLabel: 'one snapshot alone',
    unit: 'ms',
    target: '<= 50',
  });

  log('course: a failing reachability check ...\n');
  const nat = course.lessons.find((l) => l.id === 'nat');
  if (nat) {
    await inSandbox(async (sb) => {
      await prepareState(sb, course, nat.id, { stepIndex: 0 });
      const step = { ...nat.steps[0]!, checks: nat.steps[0]!.checks.filter((c) => c.kind === 'reach').slice(0, 1) };
      const first = await evaluateStep(sb, step);
      if (first.passed) throw new Error('the NAT reach check passes before MASQUERADE: cannot measure a failing one');
      const failing = await sample(N(15), async () => (await evaluateStep(sb, step)).durationMs);
      const [reach] = step.checks;
      const floor = await sample(N(15), () => sb.run(`ip netns exec ${reach?.kind === 'reach' ? reach.from : 'fox'} ping -n -q -c1 -W 0.25 198.51.100.10`).then(() => undefined));
      rows.push({ figure: 'evaluate a failing reachability check (fox -> internet, no NAT)', ours: failing, floor, floorLabel: 'the bare ping -W 0.25 in the sandbox', unit: 'ms', target: '<= 300' });
    });
  }

  log('course: preparing the state before lesson 7 ...\n');
  const dnat = course.lessons[6];
  if (dnat) {
    const ours: number[] = [];
    const floor: number[] = [];
    const realPing: number[] = [];
    const chain = course.lessons.slice(0, course.lessons.indexOf(dnat));
    for (let i = 0; i < N(5); i++) {
      await inSandbox(async (sb) => {
        const t = performance.now();
        await prepareState(sb, course, dnat.id, { stepIndex: 0 });
        ours.push(performance.now() - t);
      });
      const script = [...chain.map((l) => plainScript(course, l)), plainScript(course, dnat, 0)].join('\n');
      for (const [prefix, into] of [[`${FAST_PING}\n`, floor], ['', realPing]] as const) {
        await inSandbox(async (sb) => {
          const t = performance.now();
          await sb.run(prefix + script, { timeoutMs: 120_000 });
          into.push(performance.now() - t);
        });
      }
    }
    rows.push({
      figure: `prepareState before lesson 7 (${dnat.id}), fresh sandbox`,
      ours: summarise(ours),
      floor: summarise(floor),
      floorLabel: 'same commands, plain bash, same fast ping',
      unit: 'ms',
      target: 'well under 1000',
      note: `with the real ping (-c2 costs a second) plain bash takes ${summarise(realPing).median.toFixed(0)} ms`,
    });
  }

  log('course: the whole self-test ...\n');
  await timeCli(['test-lessons', '--json']);
  const whole = await sample(Math.max(1, N(3) - 1), () => timeCli(['test-lessons', '--json']));
  // the floor: every lesson's setup and solutions once, in plain bash, lessons one after another,
  // each from its start state (prepared outside the timing)
  const floorRuns: number[] = [];
  for (let i = 0; i < Math.max(1, N(3) - 1); i++) {
    let total = 0;
    for (const lesson of course.lessons) {
      await inSandbox(async (sb) => {
        await prepareState(sb, course, lesson.id, { stepIndex: 0 });
        const t = performance.now();
        await sb.run(plainScript(course, lesson), { timeoutMs: 120_000 });
        total += performance.now() - t;
      });
    }
    floorRuns.push(total);
  }
  const steps = course.lessons.reduce((n, l) => n + l.steps.length, 0);
  rows.push({
    figure: `test-lessons, whole course (${course.lessons.length} lessons, ${steps} steps, CLI)`,
    ours: whole,
    floor: summarise(floorRuns),
    floorLabel: "the lessons' solutions once, plain bash",
    unit: 'ms',
    note: 'the self-test also creates a sandbox per lesson, replays each lesson\'s requires chain, and evaluates every step three times, two lessons at a time on two cores',
  });
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes('--quick');
  const rows = await measure((n) => (quick ? Math.max(3, Math.round(n / 5)) : n), (s) => process.stderr.write(s));
  const fmt = (s: Row['ours']) => (s ? `${s.median.toFixed(1)} (p10 ${s.p10.toFixed(1)}, p90 ${s.p90.toFixed(1)}, n=${s.n})` : '-');
  for (const r of rows) {
    process.stdout.write(`${r.figure} [${r.unit}]\n  ours:  ${fmt(r.ours)}${r.target ? `   target ${r.target}` : ''}\n  floor: ${fmt(r.floor)}   (${r.floorLabel})\n${r.note ? `  note: ${r.note}\n` : ''}`);
  }
}
