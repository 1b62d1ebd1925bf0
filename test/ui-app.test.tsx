// The tutor screen with ink-testing-library and fake services: what the learner sees and what
// their keys do.
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { AbortError } from '../src/domain/errors.js';
import { startSession } from '../src/domain/session/reduce-session.js';
import { TutorApp } from '../src/tui/app.js';
import { createSessionRuntime, type SessionRuntime } from '../src/app/runtime/session-runtime.js';
import { fakeServices, type FakeServices } from './fixtures/fake-tutor-services.js';
import { makeCourse } from './fixtures/tutor-course-model.js';

const runtimes: SessionRuntime[] = [];
afterEach(() => {
  for (const r of runtimes.splice(0)) r.dispose();
});

function setup(position = { lessonIndex: 0, stepIndex: 0 }) {
  const course = makeCourse();
  const services = fakeServices(course);
  const runtime = createSessionRuntime(startSession({ course, position, completed: {}, features: { map: false, diagnose: false }, resumed: false }), {
    services,
    progress: services.progress,
    idleCheckMs: 60_000,
  });
  runtimes.push(runtime);
  const ui = render(<TutorApp runtime={runtime} />);
  return { ui, services, runtime };
}

/** Waits until the frame matches (no timing assertions: the test fails only by not matching). */
async function frameMatching(ui: ReturnType<typeof render>, re: RegExp): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const f = ui.lastFrame() ?? '';
    if (re.test(f)) return f;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`no frame matched ${re}; last frame:\n${ui.lastFrame()}`);
}

async function type(ui: ReturnType<typeof render>, text: string) {
  ui.stdin.write(text);
  await new Promise((r) => setTimeout(r, 10));
}

const ENTER = '\r';
const CTRL_C = '\u0003';

describe('the tutor screen', () => {
  it('shows where the learner is, the step, its checks and the commands', async () => {
    const { ui } = setup();
    const f = await frameMatching(ui, /fox is missing/);
    expect(f).toMatch(/Lesson 1 · Namespaces · step 1 of 2/);
    expect(f).toMatch(/Some prose about Make fox/);
    expect(f).toMatch(/✗ make-fox exists/);
    expect(f).toMatch(/:hint :solution :skip .*:shell :help :quit  ·  Ctrl-C stop/);
    expect(f).not.toMatch(/:map/);
  });

  it('runs a typed command, shows its output, turns the check green and waits for Enter', async () => {
    const { ui, services } = setup();
    await frameMatching(ui, /fox is missing/);
    await type(ui, 'ip netns add fox');
    await frameMatching(ui, /❯ ip netns add fox/);
    await type(ui, ENTER);
    const done = await frameMatching(ui, /Step complete!/);
    expect(done).toMatch(/\$ ip netns add fox/);
    expect(done).toMatch(/ran: ip netns add fox/);
    expect(done).toMatch(/✓ make-fox exists/);
    expect(services.progress.records).toContain('record namespaces/make-fox passed');
    await type(ui, ENTER);
    const next = await frameMatching(ui, /step 2 of 2/);
    expect(next).toMatch(/Some prose about Make bear/);
  });

  it('shows a failing command in the output and keeps the sentence of the failing check', async () => {
    const { ui } = setup();
    await frameMatching(ui, /fox is missing/);
    await type(ui, `fail${ENTER}`);
    const f = await frameMatching(ui, /exit status 1/);
    expect(f).toMatch(/something went wrong/);
    expect(f).toMatch(/make-fox is missing\./);
  });

  it('Ctrl-C stops the running command; when idle it says how to quit, twice quits', async () => {
    const { ui, services, runtime } = setup();
    await frameMatching(ui, /fox is missing/);
    await type(ui, `hang forever${ENTER}`);
    await frameMatching(ui, /running .*Ctrl-C stops it/);
    await type(ui, CTRL_C);
    await frameMatching(ui, /\^C \(stopped\)/);
    expect(services.calls).toContain('interrupt');
    await type(ui, CTRL_C);
    await frameMatching(ui, /Press Ctrl-C again to quit/);
    let quit = false;
    void runtime.done.then(() => (quit = true));
    await type(ui, CTRL_C);
    await runtime.done;
    expect(quit).toBe(true);
  });

  it('runs pasted lines one after another', async () => {
    const { ui, services } = setup();
    await frameMatching(ui, /fox is missing/);
    await type(ui, `echo one${ENTER}echo two${ENTER}ip netns add fox${ENTER}`);
    await frameMatching(ui, /Step complete!/);
    expect(services.calls.filter((c) => c.startsWith('run '))).toEqual(['run echo one', 'run echo two', 'run ip netns add fox']);
  });

  it('walks history with the arrow keys', async () => {
    const { ui } = setup();
    await frameMatching(ui, /fox is missing/);
    await type(ui, `echo one${ENTER}`);
    await frameMatching(ui, /ran: echo one/);
    await type(ui, `echo two${ENTER}`);
    await frameMatching(ui, /ran: echo two/);
    await type(ui, '\u001b[A');
    await frameMatching(ui, /❯ echo two/);
    await type(ui, '\u001b[A');
    await frameMatching(ui, /❯ echo one/);
    await type(ui, '\u001b[B');
    await frameMatching(ui, /❯ echo two/);
  });

  it(':hint, :solution and :help', async () => {
    const { ui } = setup();
    await frameMatching(ui, /fox is missing/);
    await type(ui, `:hint${ENTER}`);
    await frameMatching(ui, /Hint 1 of 2: Use ip netns\./);
    await type(ui, `:solution${ENTER}`);
    await frameMatching(ui, /The solution for this step/);
    await type(ui, `:help${ENTER}`);
    const help = await frameMatching(ui, /Commands \(type them at the prompt\)/);
    expect(help).toMatch(/:skip\s+Run the solution for you/);
    await type(ui, '\u001b');
    await frameMatching(ui, /Some prose about Make fox/);
  });

  it(':skip runs the solution, moves on and records a skip', async () => {
    const { ui, services } = setup();
    await frameMatching(ui, /fox is missing/);
    await type(ui, `:skip${ENTER}`);
    await frameMatching(ui, /step 2 of 2/);
    expect(services.calls).toContain('apply namespaces/make-fox');
    expect(services.progress.records).toContain('record namespaces/make-fox skipped');
  });

  it(':lessons lists the lessons and starting one rebuilds its state', async () => {
    const { ui, services } = setup();
    await frameMatching(ui, /fox is missing/);
    await type(ui, `:lessons${ENTER}`);
    await frameMatching(ui, /Pick a lesson/);
    await type(ui, '\u001b[B');
    await type(ui, ENTER);
    await frameMatching(ui, /Lesson 2 · Links · step 1 of 1/);
    expect(services.calls).toContain('prepare links 0');
  });

  it('keeps keys that arrive together, before the screen is drawn again', async () => {
    const { ui, services } = setup();
    await frameMatching(ui, /fox is missing/);
    await type(ui, `:lessons${ENTER}\u001b[B${ENTER}`);
    await frameMatching(ui, /Lesson 2 · Links · step 1 of 1/);
    expect(services.calls).toContain('prepare links 0');
  });

  it('hands the terminal over for :shell and interactive commands, and re-checks on return', async () => {
    const { ui, services } = setup();
    await frameMatching(ui, /fox is missing/);
    services.world.add('fox'); // as if done in the handed-over shell
    await type(ui, `ip netns exec fox bash${ENTER}`);
    await frameMatching(ui, /Step complete!/);
    expect(services.calls).toContain('hand-over ip netns exec fox bash');
  });

  it('re-checks when the kernel reports a change (a command typed elsewhere)', async () => {
    const { ui, services } = setup();
    await frameMatching(ui, /fox is missing/);
    services.world.add('fox');
    services.kernelChanged();
    await frameMatching(ui, /Step complete!/);
  });

  it('says what size it needs when the terminal is too small, and recovers on resize', async () => {
    const { ui } = setup();
    await frameMatching(ui, /fox is missing/);
    const stdout = ui.stdout as unknown as { rows: number; emit(e: string): void };
    stdout.rows = 12;
    stdout.emit('resize');
    await frameMatching(ui, /needs a terminal of at least 60×20; this one is 100×12/);
    stdout.rows = 30;
    stdout.emit('resize');
    await frameMatching(ui, /fox is missing/);
  });

  it('shows an AbortError with its fix when the sandbox cannot be built (issue 12)', async () => {
    const course = makeCourse();
    const services = fakeServices(course);
    services.prepare = () =>
      Promise.reject(new AbortError('this system does not let ordinary users create user namespaces.', 'Run netns-tutor with sudo, or allow them:\n  sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0'));
    const runtime = createSessionRuntime(startSession({ course, position: { lessonIndex: 0, stepIndex: 0 }, completed: {}, features: { map: false, diagnose: false }, resumed: false }), {
      services,
      progress: services.progress,
      idleCheckMs: 60_000,
    });
    runtimes.push(runtime);
    const ui = render(<TutorApp runtime={runtime} />);
    const f = await frameMatching(ui, /apparmor_restrict_unprivileged_userns=0/);
    expect(f).toMatch(/does not let ordinary users create user namespaces/);
    expect(f).toMatch(/Run netns-tutor with sudo/);
  });

  it('scrolls the output back with Shift-PgUp and to the oldest line with Shift-Home, and follows again on a command', async () => {
    const { ui, runtime } = setup();
    await frameMatching(ui, /fox is missing/);
    runtime.dispatch({ type: 'output-received', text: `${Array.from({ length: 300 }, (_, i) => `line ${i + 1}`).join('\n')}\n`, stream: 'stdout' });
    await frameMatching(ui, /line 300/);
    await type(ui, '\u001b[5;2~');
    await frameMatching(ui, /↓ \d+ lines below/);
    expect(ui.lastFrame()).not.toMatch(/line 300/);
    await type(ui, '\u001b[1;2H');
    const top = await frameMatching(ui, /line 1\n/);
    expect(top).toMatch(/↓ \d+ lines below/);
    await type(ui, `echo hi${ENTER}`);
    await frameMatching(ui, /line 300[\s\S]*\$ echo hi/);
  });
});

