// `netns-tutor` with no command: the interactive tutor. Loads the course and the learner's
// progress, starts the session at the saved step (rebuilding its sandbox), puts the Ink screen up
// and tears everything down on :quit. Needs a terminal; without one it says what works instead.
//
// Start-up is kept lazy: the first frame needs Ink, the session and the course; the sandbox,
// runner, checks and the lesson parser (on a warm cache) load while it is already on screen.
import { resolve } from 'node:path';
import { AbortError } from '../domain/errors.js';
import { completedSteps, openProgress } from '../app/progress/progress-store.js';
import { lessonsDir } from '../world/sandbox/paths.js';
import { resolvePosition } from '../domain/session/course-position.js';
import { startSession } from '../domain/session/reduce-session.js';
import type { Notice } from '../domain/session/types.js';
import { lazyServices } from '../app/runtime/lazy-services.js';
import { createSessionRuntime } from '../app/runtime/session-runtime.js';
import { loadCourseCached } from '../app/course/course-cache.js';

export const NO_TTY_MESSAGE = `netns-tutor: the tutor needs an interactive terminal, and this input is not one.
Without a terminal you can still:
  netns-tutor shell -c 'CMDS'      run commands in a fresh sandbox (as a script)
  netns-tutor check LESSON STEP    evaluate a step's checks (inside \`netns-tutor shell\`)
  netns-tutor test-lessons         run the course's self-test
`;

const SHELL_BANNER =
  "\nYou are in a bash inside the tutor's sandbox: the same network, so what you do here counts for the step.\n" +
  'Type exit (or Ctrl-D) to go back to the tutor.\n\n';

export async function runTutor(opts: { lessons?: string; progress?: string }): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    process.stderr.write(NO_TTY_MESSAGE);
    return 2;
  }
  if (process.env.NETNS_TUTOR_SANDBOX) {
    throw new AbortError('you are inside a netns-tutor sandbox; the tutor runs outside it.', 'Type `exit` to leave this sandbox (or use :quit if the tutor handed you this shell).');
  }
  const course = await loadCourseCached(opts.lessons === undefined ? lessonsDir : resolve(opts.lessons));
  const { store, notices } = openProgress({ course: course.dir, ...(opts.progress === undefined ? {} : { file: opts.progress }) });
  const saved = store.read();
  const { position, note } = resolvePosition(course, saved.position);
  const startNotices: Notice[] = [...notices, ...(note ? [{ tone: 'info' as const, text: note }] : [])];

  const lab = lazyServices(async () => (await import('../app/runtime/real-lab.js')).createRealLab(course, { shellBanner: SHELL_BANNER }));
  let mounted: ReturnType<typeof import('../tui/mount-tutor.js').mountTutor> | undefined;
  const idleCheckMs = Number(process.env.NETNS_TUTOR_IDLE_CHECK_MS);
  const runtime = createSessionRuntime(
    startSession({ course, position, completed: completedSteps(saved), features: { map: true, diagnose: true }, resumed: saved.position !== undefined, notices: startNotices }),
    {
      services: lab,
      progress: store,
      suspendUi: (f) => (mounted ? mounted.suspend(f) : f()),
      columns: () => process.stdout.columns || 80,
      // for tests that must see the kernel watch alone
      ...(idleCheckMs > 0 ? { idleCheckMs } : {}),
    },
  );

  // Terminal closed or asked to stop: remove the sandbox and go, without drawing anything more
  // (the terminal may be gone). The sandbox would die with us anyway: its init ends at EOF.
  const onSignal = (signal: NodeJS.Signals) => {
    process.stdout.on('error', () => {});
    runtime.dispose();
    void lab.dispose().finally(() => process.exit(signal === 'SIGHUP' ? 129 : 143));
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  // The terminal can also vanish without a SIGHUP reaching us (started through `su`, which
  // gives us a session of our own): reading it then ends or fails.
  const onTerminalGone = () => onSignal('SIGHUP');
  process.stdin.once('end', onTerminalGone);
  process.stdin.once('error', onTerminalGone);
  process.stdout.once('error', onTerminalGone);
  // Ink loads only now: the runtime has already asked for the first sandbox, so the sandbox and
  // the replay of earlier lessons start while the screen's modules load (a resume at lesson 7 is
  // ready ~150 ms sooner)
  try {
    const { mountTutor } = await import('../tui/mount-tutor.js');
    mounted = mountTutor(runtime);
    await runtime.done;
    mounted.unmount();
    process.stdout.write(`Your progress is saved in ${store.path}. Run netns-tutor to continue where you left off.\n`);
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    process.stdin.off('end', onTerminalGone);
    process.stdin.off('error', onTerminalGone);
    process.stdout.off('error', onTerminalGone);
    mounted?.unmount();
    runtime.dispose();
    await lab.dispose();
  }
  return 0;
}
