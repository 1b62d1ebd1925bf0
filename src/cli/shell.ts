// `netns-tutor shell [-c CMD] [--attach]`: a bash inside a sandbox, with a terminal of its own
// (world/terminal).
import { AbortError } from '../domain/errors.js';
import { enterArgv, sandboxEnv } from '../world/sandbox/argv.js';
import { hasSetpriv } from '../world/sandbox/mode.js';
import { findAnnouncedSandbox } from '../world/sandbox/registry.js';
import { createSandbox } from '../world/sandbox/sandbox.js';
import { bashArgv, runWithTerminal } from '../world/terminal/run-with-terminal.js';

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
  // --at alone needs the course (and, on a cold cache, its parser): loaded only then
  const sandbox = opts.at !== undefined ? await (await import('../app/course/shell-at.js')).createSandboxAt(opts.at, opts.lessons) : await createSandbox();
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
