// `netns-tutor shell [-c CMD] [--attach]`: a bash inside a sandbox with the terminal handed over.
import { spawn } from 'node:child_process';
import { AbortError } from '../errors.js';
import { enterArgv, sandboxEnv } from '../sandbox/argv.js';
import { hasSetpriv } from '../sandbox/mode.js';
import { findAnnouncedSandbox } from '../sandbox/registry.js';
import { createSandbox } from '../sandbox/sandbox.js';
import { createSandboxAt } from './shell-at.js';

/** Runs argv with this terminal, ignoring Ctrl-C here (it belongs to the command), and resolves
 *  with its exit status. */
export function runWithTerminal(argv: readonly string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve) => {
    const ignore = () => {};
    process.on('SIGINT', ignore);
    process.on('SIGQUIT', ignore);
    const child = spawn(argv[0]!, argv.slice(1), { stdio: 'inherit', env: { ...process.env, ...env } });
    const done = (code: number) => {
      process.off('SIGINT', ignore);
      process.off('SIGQUIT', ignore);
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
