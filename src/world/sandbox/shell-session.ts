// A persistent bash inside a sandbox: variables, functions and the working directory persist
// between commands; output streams as it comes; interrupt() stops the running command only.
//
// Framing: each command is sent as one line that evals it with stdin from /dev/null inside a
// one-pass loop, then calls __nt_end, which prints a marker carrying a per-session random token
// and the exit code to stdout and to stderr. Output before the marker belongs to the command;
// output arriving between commands (a background server's log) is reported as background output.
// The eval is not inside a function: bash names the function's file ("main") in its messages, so a
// typo would read `main: line 2: readlnk: command not found` instead of `bash: readlnk: ...`.
//
// Interrupting: SIGINT goes to the processes the command started (not to background jobs of
// earlier commands) and to bash itself, whose INT trap breaks out of the loop: that also ends a
// shell loop (`while true; do sleep 1; done`), as Ctrl-C does in a terminal. SIGKILL, when the
// caller asks for it, goes to what the command started (bash's trap then reports it).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { quoteForShell } from '../../domain/shell-quote.js';
import { childrenOf, descendantsOf, killBelow, killTree, signalAll } from '../exec/process-tree.js';
import { shellFraming } from './shell-framing.js';

export interface ShellRunHandlers {
  onStdout?(chunk: string): void;
  onStderr?(chunk: string): void;
}

export interface ShellResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  outcome: 'exited' | 'interrupted' | 'shell-exited';
  durationMs: number;
}

export interface ShellSession {
  run(command: string, handlers?: ShellRunHandlers): Promise<ShellResult>;
  /** SIGINT (as Ctrl-C would) or SIGKILL to what the running command started; the shell goes on.
   *  Which one is the caller's choice (the tutor's reducer escalates). */
  interrupt(signal?: 'SIGINT' | 'SIGKILL'): void;
  /** Output that arrived while no command was running. */
  onBackgroundOutput(listener: (chunk: string, stream: 'stdout' | 'stderr') => void): void;
  readonly alive: boolean;
  readonly busy: boolean;
  close(): void;
}

/** Characters of each stream a ShellResult keeps: the last ones (the handlers see everything). */
export const MAX_KEPT_OUTPUT = 1 << 20;


const INTERRUPT_CHASE_MS = 20;
const INTERRUPT_CHASES = 100;

interface Pending {
  handlers: ShellRunHandlers;
  stdout: string;
  stderr: string;
  outDone: boolean;
  errDone: boolean;
  exitCode: number;
  interrupted: boolean;
  /** Processes alive under bash when the command started: background jobs, not interrupted. */
  before: Set<number>;
  started: number;
  resolve(r: ShellResult): void;
}

const resultOf = (p: Pending, outcome: ShellResult['outcome'], exitCode = p.exitCode): ShellResult => ({
  exitCode,
  stdout: p.stdout,
  stderr: p.stderr,
  outcome,
  durationMs: performance.now() - p.started,
});

// Streamed output goes to the handlers whole; what the result keeps is bounded (the tail), so a
// command like `yes` cannot grow the tutor's memory without limit.
function keepTail(kept: string, text: string): string {
  const joined = kept + text;
  return joined.length > MAX_KEPT_OUTPUT ? joined.slice(joined.length - MAX_KEPT_OUTPUT) : joined;
}

function emit(p: Pending, stream: 'stdout' | 'stderr', text: string): void {
  if (stream === 'stdout') {
    p.stdout = keepTail(p.stdout, text);
    p.handlers.onStdout?.(text);
  } else {
    p.stderr = keepTail(p.stderr, text);
    p.handlers.onStderr?.(text);
  }
}

/** Signals what the running command started under `bash` (not the jobs in `p.before`). SIGINT
 *  goes to bash too, first: signalled after the command, it could see the command end and report
 *  its status before its own SIGINT arrived (a loaded machine: ping's 0 instead of 130). A
 *  terminal's Ctrl-C reaches the whole foreground process group, even a child forked a moment ago;
 *  a child forked while we listed would be missed here, and bash waits for it before its trap runs,
 *  so late children are chased until the command has ended (`running` turns false). */
function signalCommand(bash: number, p: Pending, signal: 'SIGINT' | 'SIGKILL', running: () => boolean): void {
  const started = descendantsOf(bash).filter((pid) => !p.before.has(pid));
  if (signal === 'SIGKILL') {
    for (const pid of started) killTree(pid);
    return;
  }
  signalAll([bash, ...started], 'SIGINT');
  const signalled = new Set(started);
  let chases = 0;
  const chase = setInterval(() => {
    if (!running() || ++chases > INTERRUPT_CHASES) {
      clearInterval(chase);
      return;
    }
    const late = descendantsOf(bash).filter((pid) => !p.before.has(pid) && !signalled.has(pid));
    for (const pid of late) signalled.add(pid);
    signalAll(late, 'SIGINT');
  }, INTERRUPT_CHASE_MS);
  chase.unref();
}

function spawnBash(prefix: readonly string[], env: Record<string, string>) {
  return spawn(prefix[0]!, [...prefix.slice(1), 'bash', '--noprofile', '--norc'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env, PS1: '', PS2: '' },
    // a session of its own, without the tutor's terminal: /dev/tty inside opens nothing, and
    // TIOCSTI cannot push keystrokes into the learner's terminal
    detached: true,
  });
}

export async function openShellSession(prefix: readonly string[], env: Record<string, string>): Promise<ShellSession> {
  const framing = shellFraming(randomBytes(8).toString('hex'));
  const child = spawnBash(prefix, env);
  let alive = true;
  let pending: Pending | undefined;
  const queue: Array<() => void> = [];
  const backgroundListeners: Array<(c: string, s: 'stdout' | 'stderr') => void> = [];
  let bashPid: number | undefined;

  const finishIfDone = () => {
    const p = pending;
    if (!p || !p.outDone || !p.errDone) return;
    pending = undefined;
    p.resolve(resultOf(p, p.interrupted ? 'interrupted' : 'exited'));
    queue.shift()?.();
  };

  // text before a command's marker is the command's; text while none runs is background output
  const readStream = (stream: 'stdout' | 'stderr') => {
    const scan = framing.scanner();
    return (data: Buffer) => {
      for (const part of scan(data.toString('utf8'))) {
        const p = pending;
        const open = p && !(stream === 'stdout' ? p.outDone : p.errDone);
        if (part.kind === 'text') {
          if (open) emit(p, stream, part.text);
          else for (const l of backgroundListeners) l(part.text, stream);
        } else if (open) {
          if (stream === 'stdout') {
            p.exitCode = part.exitCode;
            p.outDone = true;
          } else p.errDone = true;
          finishIfDone();
        }
      }
    };
  };
  child.stdout!.on('data', readStream('stdout'));
  child.stderr!.on('data', readStream('stderr'));
  child.stdin!.on('error', () => {});
  // bash may exit before its last output is read: report once both pipes ended, or shortly after
  // the exit when a background process still holds them.
  let ended = 0;
  const onShellGone = () => {
    if (!alive) return;
    alive = false;
    const p = pending;
    pending = undefined;
    p?.resolve(resultOf(p, 'shell-exited', child.exitCode ?? 127));
    for (const next of queue.splice(0)) next();
  };
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const onEnd = () => {
    if (++ended === 2 && exited()) onShellGone();
  };
  child.stdout!.on('end', onEnd);
  child.stderr!.on('end', onEnd);
  child.on('exit', () => (ended === 2 ? onShellGone() : setTimeout(onShellGone, 100).unref()));
  // the prelude: SIGINT reaches the command, the shell itself survives it
  child.stdin!.write(framing.prelude);

  const session: ShellSession = {
    get alive() {
      return alive;
    },
    get busy() {
      return pending !== undefined;
    },
    run(command, handlers = {}) {
      return new Promise<ShellResult>((resolve) => {
        const start = () => {
          if (!alive) {
            resolve({ exitCode: 127, stdout: '', stderr: 'the sandbox shell has exited\n', outcome: 'shell-exited', durationMs: 0 });
            return;
          }
          const before = new Set(bashPid ? descendantsOf(bashPid) : []);
          pending = { handlers, stdout: '', stderr: '', outDone: false, errDone: false, exitCode: 0, interrupted: false, before, started: performance.now(), resolve };
          child.stdin!.write(framing.commandLine(quoteForShell(command)));
        };
        if (pending) queue.push(start);
        else start();
      });
    },
    interrupt(signal = 'SIGINT') {
      const p = pending;
      if (!p) return;
      p.interrupted = true;
      bashPid ??= childrenOf(child.pid!)[0];
      if (bashPid) signalCommand(bashPid, p, signal, () => pending === p);
    },
    onBackgroundOutput(listener) {
      backgroundListeners.push(listener);
    },
    close() {
      if (!alive) return;
      child.stdin!.end();
      bashPid ??= childrenOf(child.pid!)[0];
      // bash and what it runs; nsenter then exits by itself (see killBelow)
      killBelow(child.pid!);
      // nsenter should be gone at once; if not, it goes anyway
      setTimeout(() => child.kill('SIGKILL'), 1000).unref();
    },
  };
  // Wait until bash answers, so the first command's timing is the round trip alone.
  await session.run(':');
  bashPid = childrenOf(child.pid!)[0];
  return session;
}
