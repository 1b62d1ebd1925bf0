// A sandbox: one init process in new user, network, mount, UTS, IPC and PID namespaces, with a
// simulated internet behind its uplink. Everything the lab does happens inside; dispose (or the
// tutor's death) kills the init and the kernel frees the rest.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AbortError } from '../errors.js';
import { createPrefixedRunner } from '../exec/runner.js';
import { childrenOf } from '../exec/process-tree.js';
import type { CommandRunner, RunOptions, RunResult } from '../exec/types.js';
import { createArgv, enterArgv, sandboxEnv, type SandboxMode } from './argv.js';
import { INIT_SCRIPT } from './init-script.js';
import { cliEntryPath, upstreamServerPath, upstreamServerPerlPath } from './paths.js';
import { openShellSession, type ShellSession } from './shell-session.js';
import { explainCreateFailure } from './preflight.js';

export interface SandboxOptions {
  /** Build the simulated internet (uplink eth0 203.0.113.2/24 and the upstream side). Default true. */
  internet?: boolean;
  /** Files placed privately inside, by absolute path (under /etc or /root). */
  files?: Record<string, string>;
  /** Force a mode; by default a user namespace, or plain root where those are forbidden. */
  mode?: SandboxMode;
  hostname?: string;
}

export interface Sandbox extends CommandRunner {
  readonly id: string;
  readonly mode: SandboxMode;
  /** The init's PID as this process sees it (for nsenter). */
  readonly initPid: number;
  /** The argv prefix that enters the sandbox (for spawning with an inherited terminal). */
  readonly enterPrefix: readonly string[];
  readonly env: Record<string, string>;
  openShell(): Promise<ShellSession>;
  /** Idempotent. */
  dispose(): Promise<void>;
  readonly disposed: boolean;
}

const READY_TIMEOUT_MS = 10_000;

function stageFiles(files: Record<string, string>): string | undefined {
  const entries = Object.entries(files);
  if (entries.length === 0) return undefined;
  const stage = mkdtempSync(join(tmpdir(), 'netns-tutor-stage-'));
  for (const [path, content] of entries) {
    if (!/^\/(etc|root)\//.test(path)) {
      throw new Error(`sandbox files must live under /etc or /root, not ${path}`);
    }
    const target = join(stage, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return stage;
}

function waitForReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => finish(new Error(`the sandbox was not ready after ${READY_TIMEOUT_MS} ms\n${err}`)), READY_TIMEOUT_MS);
    const finish = (e?: Error) => {
      clearTimeout(timer);
      child.stdout?.off('data', onOut);
      child.off('exit', onExit);
      if (e) reject(e);
      else resolve();
    };
    const onOut = (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready\n')) finish();
    };
    const onExit = (code: number | null) => finish(explainCreateFailure(code, err));
    child.stdout?.on('data', onOut);
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', onExit);
    child.on('error', (e) => finish(explainCreateFailure(null, e.message)));
  });
}

async function findInitPid(unsharePid: number): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const [child] = childrenOf(unsharePid);
    if (child) return child;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error('cannot find the sandbox init process');
}

export function defaultMode(): SandboxMode {
  return 'userns';
}

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const id = randomBytes(3).toString('hex');
  const mode = options.mode ?? defaultMode();
  const stage = stageFiles(options.files ?? {});
  // the script travels in the environment so `ps` inside shows a short command line
  const [command, ...args] = createArgv(mode, ['bash', '-c', 'eval "$NT_INIT"', 'netns-tutor-init']);
  const child = spawn(command!, args, {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...sandboxEnv(id),
      NT_INIT: INIT_SCRIPT,
      NT_NODE: process.execPath,
      NT_UPSTREAM_SERVER: upstreamServerPath,
      NT_UPSTREAM_SERVER_PL: upstreamServerPerlPath,
      NT_CLI: cliEntryPath,
      NT_STAGE: stage ?? '/nonexistent',
      NT_INTERNET: options.internet === false ? '0' : '1',
      NT_HOSTNAME: options.hostname ?? 'sandbox',
    },
  });
  try {
    await waitForReady(child);
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  } finally {
    if (stage) rmSync(stage, { recursive: true, force: true });
  }
  // The init must not keep our event loop alive, nor die with our stdio.
  child.stdout?.destroy();
  child.stderr?.destroy();
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  const initPid = await findInitPid(child.pid!);
  const prefix = enterArgv(mode, initPid);
  const env = sandboxEnv(id);
  const runner = createPrefixedRunner(`sandbox ${id}`, prefix, env);
  const shells = new Set<ShellSession>();
  let disposed = false;

  const sandbox: Sandbox = {
    id,
    mode,
    initPid,
    enterPrefix: prefix,
    env,
    where: runner.where,
    get disposed() {
      return disposed;
    },
    exec: (argv: readonly string[], o?: RunOptions): Promise<RunResult> => runner.exec(argv, o),
    run: (script: string, o?: RunOptions): Promise<RunResult> => runner.run(script, o),
    async openShell() {
      const shell = await openShellSession(prefix, env);
      shells.add(shell);
      return shell;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      for (const s of shells) s.close();
      child.ref();
      const exited = new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
      try {
        process.kill(initPid, 'SIGKILL');
      } catch {
        // already gone
      }
      child.stdin?.destroy();
      await exited;
    },
  };
  return sandbox;
}
