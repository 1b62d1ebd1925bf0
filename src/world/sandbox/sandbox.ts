// A sandbox: one init process in nested user namespaces (root inside is an unprivileged id
// outside) with its own network, mount, UTS, IPC and PID namespaces, a simulated internet behind
// its uplink, and a cap on its processes. Everything the lab does happens inside; dispose (or the
// tutor's death) kills the init and the kernel frees the rest (see init-script.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { BugError } from '../../domain/errors.js';
import { createPrefixedRunner } from '../exec/runner.js';
import { childrenOf, descendantsOf, signalAll } from '../exec/process-tree.js';
import type { CommandRunner, RunOptions, RunResult } from '../exec/types.js';
import type { SandboxIdentity, SandboxMode } from '../../domain/sandbox-identity.js';
import { allowedHostEnv, createArgv, enterArgv, SANDBOX_PATH, sandboxEnv } from './argv.js';
import { INIT_SCRIPT, OUTER_SCRIPT } from './init-script.js';
import { explainTaskLimit, MAX_SANDBOX_TASKS } from './limits.js';
import { stageFiles } from './stage-files.js';
import { cliEntryPath, idMapperDir, packageRoot, packetWatchPath, upstreamServerPath, upstreamServerPerlPath } from './paths.js';
import { openShellSession, type ShellSession } from './shell-session.js';
import { createWarmRunner, MAX_OUTPUT } from './warm-runner.js';
import { createFrameReader, TailBuffer } from './job-frames.js';
import { decideMode, readUsernsFacts, sandboxIdentity } from './mode.js';
import { explainCreateFailure, explainUsernsDenied } from '../../domain/doctor/preflight.js';

export interface SandboxOptions {
  /** Build the simulated internet (uplink eth0 203.0.113.2/24 and the upstream side). Default true. */
  internet?: boolean;
  /** Files placed privately inside, by absolute path (under /etc or /root). */
  files?: Record<string, string>;
  /** 'userns', the only mode there is: 'root' (no user namespace) is refused. */
  mode?: SandboxMode;
  hostname?: string;
  /** 'watcher': netns-tutor's packet watcher stands in for tcpdump even where real tcpdump could
   *  run (root's sandbox), so it can be tried there. Default 'auto'. */
  tcpdump?: 'auto' | 'watcher';
  /** A script run inside as soon as the world is up, before anything else (a replay): it does
   *  not wait for this process to handle "ready", which a busy event loop (the tutor loading its
   *  screen) delays. Its result is `Sandbox.first`. */
  firstScript?: string;
}

export interface Sandbox extends CommandRunner {
  readonly id: string;
  readonly mode: SandboxMode;
  /** Who root inside is outside. */
  readonly identity: SandboxIdentity;
  /** The init's PID as this process sees it (for nsenter). */
  readonly initPid: number;
  /** The argv prefix that enters the sandbox (for spawning with an inherited terminal). */
  readonly enterPrefix: readonly string[];
  readonly env: Record<string, string>;
  openShell(): Promise<ShellSession>;
  /** Idempotent. */
  dispose(): Promise<void>;
  readonly disposed: boolean;
  /** The result of SandboxOptions.firstScript (cancelled if the sandbox ends first). */
  readonly first?: Promise<RunResult>;
  /** Gets `count` run() workers ready in the background (see warm-runner.ts). */
  prewarm(count: number): void;
}

const READY_TIMEOUT_MS = 10_000;

const withLimitExplained = (r: RunResult): RunResult => ({ ...r, stderr: explainTaskLimit(r.stderr) });

/** The init exited before it was ready: its exit code and what it said. */
class InitFailure extends Error {
  constructor(
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(`the sandbox init exited (code ${code}): ${stderr}`);
  }
}

/** Resolves with what the init printed after "ready" (the first script may be done already). */
function waitForReady(child: ChildProcess): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let out = Buffer.alloc(0);
    let err = '';
    let settled = false;
    const timer = setTimeout(() => finish(new BugError(`the sandbox was not ready after ${READY_TIMEOUT_MS} ms\n${err}`)), READY_TIMEOUT_MS);
    const finish = (e?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdout?.off('data', onOut);
      if (e) reject(e);
      else resolve(out.subarray(out.indexOf('ready\n') + 'ready\n'.length));
    };
    const onOut = (d: Buffer) => {
      out = Buffer.concat([out, d]);
      if (out.includes('ready\n')) finish();
    };
    child.stdout?.on('data', onOut);
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    // 'close', not 'exit': by then everything the init wrote to stderr has been read
    child.on('close', (code: number | null) => finish(new InitFailure(code, err)));
    child.on('error', (e) => finish(new InitFailure(null, e.message)));
  });
}

/** The init: the child of the outer script (PID 1 of the outer PID namespace, by now the nested
 *  `unshare`), itself unshare's child. Called once the init said ready. */
async function findInitPid(unsharePid: number): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const [outer] = childrenOf(unsharePid);
    const [init] = outer ? childrenOf(outer) : [];
    if (init) return init;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error('cannot find the sandbox init process');
}

/** The mode a sandbox created now would try first. */
export function defaultMode(): SandboxMode {
  const d = decideMode(readUsernsFacts());
  return d.kind === 'try' ? d.mode : 'userns';
}

interface Started {
  child: ChildProcess;
  /** What the init printed after "ready" (the first script's frames, perhaps). */
  afterReady: Buffer;
}

async function startInit(identity: SandboxIdentity, env: Record<string, string>): Promise<Started> {
  // the scripts travel in the environment so `ps` inside shows a short command line
  const [command, ...args] = createArgv(identity, ['bash', '--norc', '--noprofile', '-c', 'eval "$NT_OUTER"', 'netns-tutor-sandbox']);
  // detached: a session of its own, without the tutor's terminal (no TIOCSTI into it from inside)
  const child = spawn(command!, args, { stdio: ['pipe', 'pipe', 'pipe'], env, detached: true });
  try {
    return { child, afterReady: await waitForReady(child) };
  } catch (e) {
    // the init is unshare's child: killing unshare alone would leave it (and the lab) behind
    if (child.pid) signalAll([...descendantsOf(child.pid).reverse(), child.pid], 'SIGKILL');
    throw e;
  }
}

/** Who root inside will be, where this machine allows user namespaces; refuses (with the fix)
 *  where not, and refuses the old root mode. */
function chooseIdentity(forced: SandboxMode | undefined): { identity: SandboxIdentity; ifDenied?: string } {
  const facts = readUsernsFacts();
  const decision = decideMode(facts);
  if (decision.kind === 'denied') throw explainUsernsDenied(decision.reason);
  if (forced === 'root') throw explainUsernsDenied('a sandbox without a user namespace was asked for, which netns-tutor no longer makes');
  return { identity: sandboxIdentity(facts, idMapperDir), ...(decision.ifDenied ? { ifDenied: decision.ifDenied } : {}) };
}

/** What the init scripts read from their environment besides themselves (see init-script.ts):
 *  also for the benchmark's plain-bash floor, which builds the same world. */
export function initEnv(id: string, stage: string | undefined, options: Pick<SandboxOptions, 'internet' | 'hostname' | 'tcpdump'> = {}, identity: SandboxIdentity = { kind: 'self' }): Record<string, string> {
  return {
    ...sandboxEnv(id),
    NT_NODE: process.execPath,
    NT_PKG: packageRoot,
    NT_UPSTREAM_SERVER: upstreamServerPath,
    NT_UPSTREAM_SERVER_PL: upstreamServerPerlPath,
    NT_CLI: cliEntryPath,
    NT_PACKET_WATCH: packetWatchPath,
    NT_STAGE: stage ?? '/nonexistent',
    NT_INTERNET: options.internet === false ? '0' : '1',
    NT_HOSTNAME: options.hostname ?? 'sandbox',
    NT_IDS: identity.kind,
    NT_MAX_TASKS: String(MAX_SANDBOX_TASKS),
    NT_TCPDUMP: options.tcpdump ?? 'auto',
    NT_MODE: 'userns',
  };
}

/** The first script's result: its output and status come as frames on the init's stdout (see
 *  job-frames.ts; the tutor opens no file inside), then the init's stdout is no longer needed.
 *  Cancelled when the sandbox ends first. */
function awaitFirst(child: ChildProcess, already: Buffer): Promise<RunResult> {
  const started = performance.now();
  return new Promise((resolve) => {
    const out = new TailBuffer(MAX_OUTPUT);
    const err = new TailBuffer(MAX_OUTPUT);
    const settle = (exitCode: number | undefined) => {
      child.stdout?.off('data', read);
      child.off('exit', onExit);
      child.stdout?.destroy();
      const durationMs = performance.now() - started;
      if (exitCode === undefined) return resolve({ stdout: '', stderr: '', exitCode: -1, outcome: 'cancelled', durationMs });
      resolve({ stdout: out.text(), stderr: err.text(), exitCode, outcome: 'exited', durationMs });
    };
    const read = createFrameReader({
      onData: (stream, chunk) => (stream === 'o' ? out : err).push(chunk),
      onLine(line) {
        const m = /^first-done (\d+)$/.exec(line);
        if (m) settle(Number(m[1]));
      },
      // not frames: the result cannot be trusted (the init itself writes nothing else)
      onGarbage: () => settle(137),
    });
    const onExit = () => settle(undefined);
    child.stdout?.on('data', read);
    child.once('exit', onExit);
    read(already);
  });
}

export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const id = randomBytes(3).toString('hex');
  const { identity, ifDenied } = chooseIdentity(options.mode);
  const stage = stageFiles(options.files ?? {}, identity);
  let started: Started;
  try {
    // an allow-list, never this process's whole environment (tokens, SSH_AUTH_SOCK...)
    started = await startInit(identity, {
      ...allowedHostEnv(process.env),
      ...initEnv(id, stage, options, identity),
      PATH: SANDBOX_PATH,
      NT_OUTER: OUTER_SCRIPT,
      NT_INIT: INIT_SCRIPT,
      ...(options.firstScript !== undefined ? { NT_FIRST: options.firstScript } : {}),
    });
  } catch (e) {
    throw e instanceof InitFailure ? explainCreateFailure(e.code, e.stderr, ifDenied) : e;
  } finally {
    if (stage) rmSync(stage, { recursive: true, force: true });
  }
  const { child, afterReady } = started;
  const mode: SandboxMode = 'userns';
  // The init must not keep our event loop alive, nor die with our stdio.
  child.stderr?.destroy();
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  const initPid = await findInitPid(child.pid!);
  const first = options.firstScript === undefined ? undefined : awaitFirst(child, afterReady);
  if (!first) child.stdout?.destroy();
  const prefix = enterArgv(mode, initPid);
  const env = sandboxEnv(id);
  const cold = createPrefixedRunner(`sandbox ${id}`, prefix, env);
  const runner = createWarmRunner(prefix, env, cold);
  const shells = new Set<ShellSession>();
  let disposed = false;

  const sandbox: Sandbox = {
    id,
    mode,
    identity,
    initPid,
    enterPrefix: prefix,
    env,
    where: runner.where,
    get disposed() {
      return disposed;
    },
    exec: (argv: readonly string[], o?: RunOptions): Promise<RunResult> => runner.exec(argv, o).then(withLimitExplained),
    run: (script: string, o?: RunOptions): Promise<RunResult> => runner.run(script, o).then(withLimitExplained),
    ...(first ? { first } : {}),
    prewarm: (count: number) => runner.prewarm(count),
    async openShell() {
      const shell = await openShellSession(prefix, env);
      shells.add(shell);
      return shell;
    },
    async dispose() {
      if (disposed) return;
      disposed = true;
      for (const s of shells) s.close();
      runner.close();
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
