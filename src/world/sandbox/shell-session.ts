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

export async function openShellSession(prefix: readonly string[], env: Record<string, string>): Promise<ShellSession> {
  const token = randomBytes(8).toString('hex');
  const marker = `\u001eNT-${token}`;
  const markerRe = new RegExp(`\u001eNT-${token} (\\d+)\u001e`);
  const child = spawn(prefix[0]!, [...prefix.slice(1), 'bash', '--noprofile', '--norc'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, ...env, PS1: '', PS2: '' },
    // a session of its own, without the tutor's terminal: /dev/tty inside opens nothing, and
    // TIOCSTI cannot push keystrokes into the learner's terminal
    detached: true,
  });
  let alive = true;
  let pending: Pending | undefined;
  const queue: Array<() => void> = [];
  const backgroundListeners: Array<(c: string, s: 'stdout' | 'stderr') => void> = [];
  let bashPid: number | undefined;

  const finishIfDone = () => {
    const p = pending;
    if (!p || !p.outDone || !p.errDone) return;
    pending = undefined;
    p.resolve({
      exitCode: p.exitCode,
      stdout: p.stdout,
      stderr: p.stderr,
      outcome: p.interrupted ? 'interrupted' : 'exited',
      durationMs: performance.now() - p.started,
    });
    queue.shift()?.();
  };

  const makeReader = (stream: 'stdout' | 'stderr') => {
    let carry = '';
    return (data: Buffer) => {
      let text = carry + data.toString('utf8');
      carry = '';
      while (text.length > 0) {
        const p = pending;
        const doneFlag = stream === 'stdout' ? p?.outDone : p?.errDone;
        if (!p || doneFlag) {
          for (const l of backgroundListeners) l(text, stream);
          return;
        }
        const m = markerRe.exec(text);
        if (m) {
          const before = text.slice(0, m.index);
          if (before) emit(p, stream, before);
          if (stream === 'stdout') {
            p.exitCode = Number(m[1]);
            p.outDone = true;
          } else p.errDone = true;
          text = text.slice(m.index + m[0].length);
          finishIfDone();
          continue;
        }
        // keep a tail that could be the start of a marker split across chunks
        const partial = text.lastIndexOf('\u001e');
        if (partial >= 0 && text.length - partial < marker.length + 8) {
          carry = text.slice(partial);
          text = text.slice(0, partial);
        }
        if (text) emit(p, stream, text);
        return;
      }
    };
  };
  // Streamed output goes to the handlers whole; what the result keeps is bounded (the tail), so a
  // command like `yes` cannot grow the tutor's memory without limit.
  const keepTail = (kept: string, text: string) => {
    const joined = kept + text;
    return joined.length > MAX_KEPT_OUTPUT ? joined.slice(joined.length - MAX_KEPT_OUTPUT) : joined;
  };
  const emit = (p: Pending, stream: 'stdout' | 'stderr', text: string) => {
    if (stream === 'stdout') {
      p.stdout = keepTail(p.stdout, text);
      p.handlers.onStdout?.(text);
    } else {
      p.stderr = keepTail(p.stderr, text);
      p.handlers.onStderr?.(text);
    }
  };
  child.stdout!.on('data', makeReader('stdout'));
  child.stderr!.on('data', makeReader('stderr'));
  child.stdin!.on('error', () => {});
  // bash may exit before its last output is read: report once both pipes ended, or shortly after
  // the exit when a background process still holds them.
  let ended = 0;
  const onShellGone = () => {
    if (!alive) return;
    alive = false;
    const p = pending;
    pending = undefined;
    p?.resolve({
      exitCode: child.exitCode ?? 127,
      stdout: p.stdout,
      stderr: p.stderr,
      outcome: 'shell-exited',
      durationMs: performance.now() - p.started,
    });
    for (const next of queue.splice(0)) next();
  };
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const onEnd = () => {
    if (++ended === 2 && exited()) onShellGone();
  };
  child.stdout!.on('end', onEnd);
  child.stderr!.on('end', onEnd);
  child.on('exit', () => (ended === 2 ? onShellGone() : setTimeout(onShellGone, 100).unref()));

  // The prelude: SIGINT reaches the command, the shell itself survives it.
  child.stdin!.write(
    [
      // `break` from the trap leaves the one-pass loop around the command: the rest of the line
      // and any loop in it are skipped, as Ctrl-C does in a terminal. (`return` from a trap would
      // do it too, but leaves bash's job table broken: `jobs` lists every later command.)
      `trap '__nt_int=1; break 999 2>/dev/null' INT`,
      `__nt_end() { local rc=$1; [ -z "$__nt_int" ] || rc=130; printf '${marker} %d\\036' "$rc"; printf '${marker} 0\\036' >&2; }`,
      `cd /root 2>/dev/null`,
      '',
    ].join('\n'),
  );

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
          child.stdin!.write(`__nt_int=; for __nt_once in 1; do eval ${quoteForShell(command)} </dev/null; done; __nt_end $?\n`);
        };
        if (pending) queue.push(start);
        else start();
      });
    },
    interrupt(signal = 'SIGINT') {
      if (!pending) return;
      const p = pending;
      p.interrupted = true;
      bashPid ??= childrenOf(child.pid!)[0];
      if (!bashPid) return;
      const bash = bashPid;
      const started = descendantsOf(bash).filter((pid) => !p.before.has(pid));
      if (signal === 'SIGKILL') {
        for (const pid of started) killTree(pid);
        return;
      }
      // bash first: signalled after the command, it could see the command end and report its
      // status before its own SIGINT arrived (a loaded machine: ping's 0 instead of 130)
      signalAll([bash, ...started], 'SIGINT');
      // A terminal's Ctrl-C reaches the whole foreground process group, even a child forked a
      // moment ago; here a child bash forked while we listed would be missed, and bash waits for
      // it before its trap runs. So chase late children until the command has ended.
      const signalled = new Set(started);
      let chases = 0;
      const chase = setInterval(() => {
        if (pending !== p || ++chases > INTERRUPT_CHASES) {
          clearInterval(chase);
          return;
        }
        const late = descendantsOf(bash).filter((pid) => !p.before.has(pid) && !signalled.has(pid));
        for (const pid of late) signalled.add(pid);
        signalAll(late, 'SIGINT');
      }, INTERRUPT_CHASE_MS);
      chase.unref();
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
