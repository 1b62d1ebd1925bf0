// `netns-tutor shell [-c CMD] [--attach]`: a bash inside a sandbox, in a session of its own with a
// terminal of its own (a pty relayed to ours), so nothing inside can push keystrokes into the
// learner's terminal (TIOCSTI) or take over its foreground.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { quoteForShell } from '../core/shell-quote.js';
import { AbortError } from '../errors.js';
import { enterArgv, sandboxEnv } from '../sandbox/argv.js';
import { hasSetpriv } from '../sandbox/mode.js';
import { findAnnouncedSandbox } from '../sandbox/registry.js';
import { createSandbox } from '../sandbox/sandbox.js';
import { createSandboxAt } from './shell-at.js';

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
 *  session of its own on our stdin and stdout, and the Ctrl-C we get is passed on to it. */
export function runWithTerminal(argv: readonly string[], env: Record<string, string>): Promise<number> {
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
    const done = (code: number) => {
      process.off('SIGINT', forward);
      process.off('SIGQUIT', forward);
      resolve(code);
    };
    child.on('error', () => done(127));
    child.on('exit', (code, signal) => done(code ?? (signal === 'SIGINT' ? 130 : 128 + 9)));
  });
}

/** An interactive bash when a person is at a terminal; commands piped in are run as a script. */
export function bashArgv(command: string | undefined, interactive = process.stdin.isTTY === true): string[] {
  if (command !== undefined) return ['bash', '--norc', '--noprofile', '-c', command];
  return interactive ? ['bash', '--rcfile', '/run/tutor/bashrc', '-i'] : ['bash', '--norc', '--noprofile', '-s'];
}

export async function runShellCommand(opts: { command?: string; attach?: boolean; at?: string; lessons?: string }): Promise<number> {
  if (process.env.NETNS_TUTOR_SANDBOX) {
    throw new AbortError('you are already inside a netns-tutor sandbox.', 'Type `exit` to leave it first.');
  }
  if (opts.attach) {
    const a = findAnnouncedSandbox();
    if (!a) throw new AbortError('no tutor is running, so there is no sandbox to attach to.', 'Start the tutor with `netns-tutor` in another terminal, or run `netns-tutor shell` for a fresh sandbox.');
    if (opts.command === undefined) process.stderr.write(`Attached to the tutor's sandbox ${a.id}. Commands here count for the current step. Type exit to leave.\n`);
    return runWithTerminal([...enterArgv(a.mode, a.initPid, hasSetpriv()), ...bashArgv(opts.command)], sandboxEnv(a.id));
  }
  const sandbox = opts.at !== undefined ? await createSandboxAt(opts.at, opts.lessons) : await createSandbox();
  try {
    if (opts.command === undefined && process.stdin.isTTY) {
      process.stderr.write(
        `You are in a fresh netns-tutor sandbox (${sandbox.id}): its own network, /run, /etc and /root;\n` +
          `this machine's other files are read-only here (/tmp excepted). The "internet" is 198.51.100.10 behind eth0.\n` +
          `Type exit to leave; the sandbox and everything in it vanish.\n`,
      );
    }
    return await runWithTerminal([...sandbox.enterPrefix, ...bashArgv(opts.command)], sandbox.env);
  } finally {
    await sandbox.dispose();
  }
}
