// prepareState and the replay plan: the requires chain, files, setup and earlier solutions, in one
// runner call inside a real sandbox; broken replays are bugs that name the lesson and step.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Course } from '../src/domain/lesson/types.js';
import { loadCourse } from '../src/app/course/load-course.js';
import { planReplay, requiresChain, solutionPart } from '../src/domain/lesson/replay-plan.js';
import { prepareState, replayParts } from '../src/app/course/replay.js';
import { createPreparedSandbox } from '../src/app/course/prepared-sandbox.js';
import { readFileSync } from 'node:fs';
import { BugError } from '../src/domain/errors.js';
import { createLocalRunner } from '../src/world/exec/runner.js';
import { createSandbox, type Sandbox } from '../src/world/sandbox/sandbox.js';

let course: Course;
beforeAll(async () => {
  course = await loadCourse(new URL('./fixtures/lessons-tiny', import.meta.url).pathname);
});

describe('planReplay (pure)', () => {
  it('replays the requires chain whole, then the lesson up to the step', () => {
    const parts = planReplay(course, 'next', 1).map((p) => `${p.lessonId}:${p.kind}:${p.stepId ?? ''}`);
    expect(parts).toEqual([
      'start:files:',
      'start:solution:make-fox',
      'start:solution:already-done',
      'start:solution:wrong-solution',
      'start:solution:after-a-defect',
      'next:setup:',
      'next:solution:use-the-setup',
    ]);
    expect(planReplay(course, 'start', 0).map((p) => p.kind)).toEqual(['files']);
  });
  it('refuses a step index out of range, an unknown lesson, and a requires loop', () => {
    expect(() => planReplay(course, 'start', 5)).toThrow(/has 4 steps/);
    expect(() => planReplay(course, 'wolf', 0)).toThrow(/no lesson "wolf"/);
    const loop: Course = { dir: '', lessons: course.lessons.map((l) => ({ ...l, requires: l.id === 'start' ? 'next' : 'start' })) };
    expect(() => requiresChain(loop, loop.lessons[1]!)).toThrow(/loops/);
  });
});

describe('prepareState in a real sandbox', () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    sandbox = await createSandbox();
  });
  afterAll(async () => {
    await sandbox.dispose();
  });

  it('brings a fresh sandbox to the state before a step', async () => {
    const fresh = await createSandbox();
    try {
      await prepareState(fresh, course, 'next', { stepIndex: 1 });
      const r = await fresh.run('ip netns list | sort | xargs; ip -o link show vnet-tiny | grep -o "[<,]UP[,>]"; cat /root/notes.txt');
      expect(r.stdout.split('\n')).toEqual(['bear fox', ',UP,', 'placed by the front matter', '']);
    } finally {
      await fresh.dispose();
    }
  });

  it('runs each step in its own shell from /root, and a server left running does not hold the replay', async () => {
    const log = await replayParts(sandbox, [
      solutionPart('l', 'one', 'X=1; cd /etc; sleep 30 &\necho started'),
      solutionPart('l', 'two', 'echo "X=${X:-unset} in $PWD"'),
    ]);
    expect(log.completed).toBe(true);
    expect(log.outputs).toEqual(['started\n', 'X=unset in /root\n']);
  });

  it('records failing commands as notes, and throws a bug naming the step for a missing command', async () => {
    const log = await replayParts(sandbox, [solutionPart('l', 'pings', 'ip netns exec nowhere true\ntrue')]);
    expect(log.failures.map((f) => [f.part.stepId, f.status, f.command])).toEqual([['pings', 255, 'ip netns exec nowhere true']]);
    const error = await replayParts(sandbox, [solutionPart('l', 'ok', 'true'), solutionPart('l', 'typo', 'ip link\niptabels -L')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BugError);
    expect((error as Error).message).toMatch(/^replaying lesson l, step typo failed: `iptabels -L` exited 127\n/);
  });

  it('refuses to replay anything outside a sandbox', async () => {
    const host = createLocalRunner();
    const error = await replayParts({ ...host, run: (s, o) => host.run(s, { ...o, env: { NETNS_TUTOR_SANDBOX: '' } }) }, [solutionPart('l', 's', 'touch /tmp/should-not-exist')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BugError);
    expect((error as Error).message).toMatch(/needs a sandbox/);
  });
});

describe('createPreparedSandbox: the replay as the sandbox init\'s first script', () => {
  const state = (sb: Sandbox) => sb.run('ip netns list | sort | xargs; ip -o link show vnet-tiny | grep -o "[<,]UP[,>]"; cat /root/notes.txt; ls /run/tutor | grep -c "^first" || true');

  it('leaves the same state as prepareState, with nothing of the script left in /run/tutor', async () => {
    const prepared = await createPreparedSandbox(course, 'next', 1);
    try {
      expect((await state(prepared)).stdout.split('\n')).toEqual(['bear fox', ',UP,', 'placed by the front matter', '0', '']);
      // it ran inside the init, not through run(): the script never reached the warm runner's jobs
      expect((await prepared.run('ls /run/tutor/replay-bin')).stdout).toBe('ping\n');
    } finally {
      await prepared.dispose();
    }
  });

  it('reports a broken step as prepareState does, and leaves no sandbox behind', async () => {
    const broken: Course = { ...course, lessons: course.lessons.map((l) => (l.id === 'start' ? { ...l, steps: l.steps.map((s, i) => (i === 0 ? { ...s, solution: 'ip link\niptabels -L' } : s)) } : l)) };
    const sandboxesOfOurs = () =>
      readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8')
        .split(' ')
        .filter((pid) => pid.trim() && readFileSync(`/proc/${pid.trim()}/cmdline`, 'utf8').startsWith('unshare'));
    const before = sandboxesOfOurs();
    const error = await createPreparedSandbox(broken, 'next', 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BugError);
    expect((error as Error).message).toMatch(/^replaying lesson start, step make-fox failed: `iptabels -L` exited 127\n/);
    expect(sandboxesOfOurs()).toEqual(before);
  });

  it('gives up on a replay that does not end, with the step that hung', async () => {
    const hung: Course = { ...course, lessons: course.lessons.map((l) => (l.id === 'start' ? { ...l, steps: l.steps.map((s, i) => (i === 1 ? { ...s, solution: 'sleep 30' } : s)) } : l)) };
    const error = await createPreparedSandbox(hung, 'next', 0, { timeoutMs: 500 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BugError);
    expect((error as Error).message).toMatch(/did not finish within 0.5 s/);
  });
});

describe('a sandbox first script', () => {
  it('runs at once inside, gives its output and status, and what it started keeps running', async () => {
    const sb = await createSandbox({ firstScript: 'echo out; echo err >&2; sleep 300 & exit 3' });
    try {
      expect(await sb.first).toMatchObject({ stdout: 'out\n', stderr: 'err\n', exitCode: 3, outcome: 'exited' });
      expect((await sb.run('pgrep -x sleep >/dev/null && echo alive; printenv NT_FIRST || echo none')).stdout).toBe('alive\nnone\n');
    } finally {
      await sb.dispose();
    }
  });

  it('is cancelled when the sandbox ends first', async () => {
    const sb = await createSandbox({ firstScript: 'sleep 300' });
    await sb.dispose();
    expect(await sb.first).toMatchObject({ outcome: 'cancelled' });
  });
});
