// A command inside a sandbox given the learner's terminal: in a session of its own with a terminal
// of its own (a pty relayed to ours), so nothing inside can push keystrokes into the learner's
// terminal (TIOCSTI) or take over its foreground. Used by `shell`, the tutor's shell, drills and
// the exam.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { quoteForShell } from '../../domain/shell-quote.js';
import { TUTOR_BASHRC } from '../../domain/sandbox-layout.js';

/** The argv that runs `inner` in a pseudo-terminal of its own, under util-linux `script`: a new
 *  session whose controlling terminal is that pty, relayed to ours (window size changes included).
 *  TIOCSTI inside reaches the pty only: pushing input into a terminal that is not your controlling
 *  one needs CAP_SYS_ADMIN on the host. And an interactive bash inside the sandbox's PID namespace
 *  takes the pty's foreground for its job control, not our terminal's, which it could not hand
 *  back (our process group is not visible in its namespace). `script` runs its command with $SHELL,
 *  so the caller sets SHELL=/bin/sh for it; `inner` gets the learner's SHELL back. */
export function ptyArgv(inner: readonly string[], shell = process.env.SHELL): string[] {
  const restore = shell === undefined ? 'unset SHELL; ' : `SHELL=${quoteForShell(shell)}; export SHELL; `;
  return ['script', '-qefc', `${restore}exec ${inner.map(quoteForShell).join(' ')}`, '/dev/null'];
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, command)));
}

/** Runs argv (a command inside a sandbox) with this terminal and resolves with its exit status.
 *  At a terminal it gets a pty of its own (ptyArgv); otherwise (or without `script`) it runs in a
 *  session of its own on our stdin and stdout, and the Ctrl-C we get is passed on to it. `signal`
 *  ends it early (the exam's clock): the relay is killed, which hangs up the pty and so the shell,
 *  and our terminal's modes, which the killed relay cannot restore, are reset. */
export function runWithTerminal(argv: readonly string[], env: Record<string, string>, signal?: AbortSignal): Promise<number> {
  return new Promise((resolve) => {
    const atTerminal = process.stdin.isTTY === true && process.stdout.isTTY === true;
    const relay = atTerminal && onPath('script');
    if (atTerminal && !relay) process.stderr.write('netns-tutor: util-linux `script` is not installed, so this shell runs without a terminal of its own (no job control).\n');
    const [file, ...args] = relay ? ptyArgv(argv) : argv;
    const child = spawn(file!, args, { stdio: 'inherit', env: { ...process.env, ...env, ...(relay ? { SHELL: '/bin/sh' } : {}) }, detached: !relay });
    // With the relay, Ctrl-C travels through the pty to what runs inside; without it the command is
    // in a process group of its own, which our terminal does not signal: pass it on.
    const forward = (signal: NodeJS.Signals) => {
      if (relay || !child.pid) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    process.on('SIGINT', forward);
    process.on('SIGQUIT', forward);
    const stop = () => {
      try {
        if (relay) child.kill('SIGKILL');
        else if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop, { once: true });
    const done = (code: number) => {
      process.off('SIGINT', forward);
      process.off('SIGQUIT', forward);
      signal?.removeEventListener('abort', stop);
      if (relay && signal?.aborted) spawnSync('stty', ['sane'], { stdio: 'inherit' });
      resolve(code);
    };
    child.on('error', () => done(127));
    child.on('exit', (code, signal) => done(code ?? (signal === 'SIGINT' ? 130 : 128 + 9)));
  });
}

/** An interactive bash when a person is at a terminal; commands piped in are run as a script. */
export function bashArgv(command: string | undefined, interactive = process.stdin.isTTY === true): string[] {
  if (command !== undefined) return ['bash', '--norc', '--noprofile', '-c', command];
  return interactive ? ['bash', '--rcfile', TUTOR_BASHRC, '-i'] : ['bash', '--norc', '--noprofile', '-s'];
}
