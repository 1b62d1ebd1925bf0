// The command runner: the one module that runs short-lived commands (execa), with a timeout and
// cancellation that also reach the command's own children.
import { execa } from 'execa';
import { killBelow, killTree as killProcessTree } from './process-tree.js';
import type { CommandRunner, RunOptions, RunResult } from './types.js';

/** How long output may trail the command's exit before the pipes are closed on our side: a
 *  background process it started (`server &`) holds them open for as long as it lives. */
const OUTPUT_GRACE_MS = 50;

const signalNumbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };

/** Runs argv (prefix + command) and never throws for a failing command: failure is a result.
 *  `wrapped`: argv[0] is a wrapper (nsenter) into a sandbox, which a timeout leaves to reap its
 *  child and exit; it runs in a session of its own, without our terminal (no TIOCSTI from inside). */
export async function runArgv(argv: readonly string[], options: RunOptions = {}, wrapped = false): Promise<RunResult> {
  const started = performance.now();
  const [file, ...args] = argv;
  if (!file) throw new Error('runArgv: empty argv');
  // cancelled before it started: never start it
  if (options.signal?.aborted) return { stdout: '', stderr: '', exitCode: -1, outcome: 'cancelled', durationMs: 0 };
  const child = execa(file, args, {
    reject: false,
    stripFinalNewline: false,
    input: options.input ?? '',
    env: options.env,
    extendEnv: true,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    detached: wrapped,
  });
  let outcome: RunResult['outcome'] = 'exited';
  // Kill the whole tree: nsenter does not forward signals to the command it started.
  const killTree = (why: RunResult['outcome']) => {
    outcome = why;
    if (!child.pid) return;
    if (wrapped) killBelow(child.pid);
    else killProcessTree(child.pid);
  };
  const timer = options.timeoutMs ? setTimeout(() => killTree('timed-out'), options.timeoutMs) : undefined;
  // After the exit, output still in the pipes must be read before they are closed. A timer
  // alone loses it on a busy machine (timers run before the poll phase that would read it), so
  // the close waits one more poll phase (setImmediate) and re-arms while output keeps coming.
  let grace: NodeJS.Timeout | undefined;
  let lastOutput = performance.now();
  const noteOutput = () => (lastOutput = performance.now());
  child.stdout?.on('data', noteOutput);
  child.stderr?.on('data', noteOutput);
  const armGrace = () => {
    grace = setTimeout(
      () =>
        setImmediate(() => {
          if (performance.now() - lastOutput < OUTPUT_GRACE_MS) return armGrace();
          child.stdout?.destroy();
          child.stderr?.destroy();
        }),
      OUTPUT_GRACE_MS,
    );
  };
  child.once('exit', () => {
    lastOutput = performance.now();
    armGrace();
  });
  const onAbort = () => killTree('cancelled');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  try {
    const r = await child;
    if (r.failed && r.exitCode === undefined && !r.signal && outcome === 'exited') {
      return {
        stdout: '',
        stderr: String(r.message ?? "failed to start"),
        exitCode: -1,
        outcome: 'failed-to-start',
        durationMs: performance.now() - started,
      };
    }
    const exitCode = r.exitCode ?? (r.signal ? 128 + (signalNumbers[r.signal] ?? 0) : -1);
    return {
      stdout: String(r.stdout ?? ''),
      stderr: String(r.stderr ?? ''),
      exitCode,
      outcome,
      durationMs: performance.now() - started,
    };
  } finally {
    if (timer) clearTimeout(timer);
    if (grace) clearTimeout(grace);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

// Every bash we start gets --norc --noprofile: Node's pipes are sockets, and Debian's bash sources
// /etc/bash.bashrc and ~/.bashrc for a non-interactive shell whose stdin is a socket when SHLVL < 2
// (under sudo, cron, systemd): the host's rc files (pyenv's rehash, say) would run for every command.

/** Runs commands in the namespaces this process is in (the host, or a sandbox from inside). */
export function createLocalRunner(where = 'this host'): CommandRunner {
  return {
    where,
    exec: (argv, options) => runArgv(argv, options),
    run: (script, options) => runArgv(['bash', '--norc', '--noprofile', '-c', script], options),
  };
}

/** Runs commands through a fixed prefix (e.g. nsenter into a sandbox). */
export function createPrefixedRunner(where: string, prefix: readonly string[], env: Record<string, string>): CommandRunner {
  return {
    where,
    exec: (argv, options) => runArgv([...prefix, ...argv], { ...options, env: { ...env, ...options?.env } }, true),
    run: (script, options) => runArgv([...prefix, 'bash', '--norc', '--noprofile', '-c', script], { ...options, env: { ...env, ...options?.env } }, true),
  };
}
