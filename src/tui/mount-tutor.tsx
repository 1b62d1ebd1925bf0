// Puts the tutor on the terminal (the alternate screen, so the learner's scrollback is left as
// it was) and takes it off again for a terminal hand-over: Ink is unmounted while a real
// program owns the terminal, then mounted afresh from the runtime's state.
import { render, type Instance } from 'ink';
import { TutorApp } from './app.js';
import { restoreColors } from './terminal/color-level.js';
import type { SessionRuntime } from '../app/runtime/session-runtime.js';
import { watchTerminalSize } from './terminal/watch-terminal-size.js';

const ENTER_ALT = '\u001b[?1049h\u001b[2J\u001b[H';
const LEAVE_ALT = '\u001b[?25h\u001b[?1049l';

/** Stops reading the terminal for real. Ink only removes its listener, but the stream keeps
 *  reading (up to its buffer size); while another program owns the terminal, we are a
 *  background process group and a read fails with EIO (and would steal keys). Net sockets stop
 *  reading this way in Socket.pause(); the next read() starts again. */
function stopReading(): void {
  const stdin = process.stdin;
  if (stdin.isTTY) stdin.setRawMode(false);
  stdin.pause();
  const handle = (stdin as unknown as { _handle?: { reading?: boolean; readStop?: () => number } })._handle;
  if (handle?.reading) {
    handle.reading = false;
    handle.readStop?.();
  }
}

/** Undoes stopReading: the stream still believes a read is pending, so start the handle again
 *  (otherwise it would never ask for more input). */
function resumeReading(): void {
  const handle = (process.stdin as unknown as { _handle?: { reading?: boolean; readStart?: () => number } })._handle;
  if (handle && !handle.reading) {
    handle.reading = true;
    handle.readStart?.();
  }
}

export interface MountedTutor {
  /** Runs `f` with the terminal handed over; the tutor comes back afterwards. */
  suspend<T>(f: () => Promise<T>): Promise<T>;
  unmount(): void;
}

export function mountTutor(runtime: SessionRuntime): MountedTutor {
  restoreColors();
  const out = process.stdout;
  const restore = () => out.write(LEAVE_ALT);
  process.on('exit', restore);
  const stopWatchingSize = watchTerminalSize(out);
  const mount = (): Instance => {
    out.write(ENTER_ALT);
    return render(<TutorApp runtime={runtime} />, { exitOnCtrlC: false, patchConsole: true, incrementalRendering: false });
  };
  let ink: Instance | undefined = mount();
  const unmount = () => {
    if (!ink) return;
    ink.unmount();
    ink.cleanup();
    ink = undefined;
    stopReading();
    restore();
  };
  return {
    async suspend(f) {
      unmount();
      // React runs the input hooks' cleanups a moment later (legacy root: passive effects are
      // not flushed with the commit); one of them may read stdin again, so stop once more after.
      await new Promise((r) => setImmediate(r));
      await new Promise((r) => setTimeout(r, 10));
      stopReading();
      try {
        return await f();
      } finally {
        resumeReading();
        ink = mount();
      }
    },
    unmount() {
      unmount();
      stopWatchingSize();
      process.off('exit', restore);
    },
  };
}
