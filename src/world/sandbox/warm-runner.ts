// The warm runner: run() through bash processes already inside the sandbox. Each script runs in
// a subshell of an idle one, instead of a fresh `nsenter` + `bash` per call: ~0.7 ms a call
// instead of ~5, which every check evaluation pays twice (snapshot and probes).
//
// Everything goes through the worker's pipes; the tutor opens no path inside the sandbox (one under
// /proc/INIT/root could be a symlink planted there to a host file). A job is `ID LEN\n` and the
// script's LEN bytes on the worker's stdin. The worker runs it in a subshell whose stdin is
// /dev/null and whose stdout and stderr are files of its own inside the sandbox (so a server the
// script starts with `&` writes into its own job's files, never into a later job's output, and
// never holds a pipe of ours), then sends those files back as frames (job-frames.ts) and
// `done ID STATUS`. The worker's loop is its first input line, and the eval is on it: bash then
// numbers a script's lines from 1 in its messages (`bash: line 2: readlnk: command not found`), as
// `bash -c` does. Workers run in a session of their own, without the tutor's terminal.
//
// A timeout or a cancellation ends the worker with the job (the next call starts another). Where a
// worker cannot start, or the caller passes input, the cold runner does the call as before.
import { spawn, type ChildProcess } from 'node:child_process';
import { quoteForShell } from '../../domain/shell-quote.js';
import { killBelow } from '../exec/process-tree.js';
import type { CommandRunner, RunOptions, RunResult } from '../exec/types.js';
import { createFrameReader, SEND_FRAMES_FN, TailBuffer } from './job-frames.js';
import { TUTOR_DIR } from '../../domain/sandbox-layout.js';

/** Inside the sandbox: where jobs write their output (read back by the worker itself). */
const JOB_DIR = `${TUTOR_DIR}/jobs`;
/** Workers kept at most; a call beyond that (many in parallel) takes the cold path. */
const MAX_WORKERS = 4;
/** Output kept per stream, as the cold runner's maxBuffer: the last bytes of it. */
export const MAX_OUTPUT = 64 * 1024 * 1024;
const READY_TIMEOUT_MS = 5_000;
/** Every this many jobs a worker removes its old job files (one `rm` process). */
const SWEEP_EVERY = 32;

/** The worker's one line. It says it is ready, then for each job: reads the script, makes the job's
 *  files (the job directory again if the learner removed it; new files only: noclobber, so a symlink planted in their place is refused, not followed),
 *  runs the script in a subshell on them (in the caller's locale and without noclobber; the worker
 *  itself counts bytes under LC_ALL=C), sends back what it wrote through the descriptors it holds
 *  (/proc/self/fd/N: the files it made, whatever was renamed over them since), then the status.
 *  A job whose files cannot be made (the learner made /run unwritable) is answered `lost ID`. */
const WORKER_LOOP =
  `${SEND_FRAMES_FN}; __nt_lc=\${LC_ALL-}; __nt_lcset=\${LC_ALL+1}; LC_ALL=C; set -C; __nt_d=${JOB_DIR}; __nt_k=0; ` +
  `mkdir -p "$__nt_d" && printf '\\036ready\\n'; ` +
  `while read -r __nt_id __nt_n; do IFS= read -r -N "$__nt_n" __nt_s; ` +
  `((++__nt_k % ${SWEEP_EVERY})) || rm -f -- "$__nt_d/$$."*; __nt_f=$__nt_d/$$.$__nt_id; unset __nt_of __nt_ef; ` +
  `[ -d "$__nt_d" ] || mkdir -p "$__nt_d" 2>/dev/null; ` +
  `{ exec {__nt_of}>"$__nt_f.out" && exec {__nt_ef}>"$__nt_f.err"; } 2>/dev/null || ` +
  `{ [ -z "$__nt_of" ] || exec {__nt_of}>&-; printf '\\036lost %s\\n' "$__nt_id"; continue; }; ` +
  `(exec {__nt_of}>&- {__nt_ef}>&-; set +C; if [ "$__nt_lcset" ]; then LC_ALL=$__nt_lc; else unset LC_ALL; fi; eval "$__nt_s") </dev/null >&"$__nt_of" 2>&"$__nt_ef"; __nt_rc=$?; ` +
  `__nt_send o "/proc/self/fd/$__nt_of"; __nt_send e "/proc/self/fd/$__nt_ef"; exec {__nt_of}>&- {__nt_ef}>&-; ` +
  `printf '\\036done %s %d\\n' "$__nt_id" "$__nt_rc"; done`;

export interface WarmRunner extends CommandRunner {
  /** Starts workers (in the background) until `count` are there, so the next calls find them
   *  ready: for a caller that knows calls are coming and has time now. */
  prewarm(count: number): void;
  /** Ends the workers (idempotent). */
  close(): void;
}

/** How a job ended: its status (or the worker's when it died under the job), or `lost` when the
 *  worker could not run it at all. */
type JobEnd = { status: number } | { lost: true };

interface Job {
  id: number;
  out: TailBuffer;
  err: TailBuffer;
  end(how: JobEnd): void;
}

interface Worker {
  child: ChildProcess;
  job?: Job;
  gone: boolean;
}

/** The workers of one sandbox and what is known of them. */
interface Pool {
  prefix: readonly string[];
  env: Record<string, string>;
  workers: Set<Worker>;
  /** Workers being started by prewarm. */
  starting: number;
  nextJob: number;
  closed: boolean;
  /** Set when a worker could not start or could not run a job: calls go cold from then on. */
  broken: boolean;
}

/** A worker that is gone (or going) takes no more jobs; its job, if any, ends with `status`. */
function dropWorker(pool: Pool, w: Worker, status: number): void {
  if (w.gone) return;
  w.gone = true;
  pool.workers.delete(w);
  const job = w.job;
  w.job = undefined;
  job?.end({ status });
}

/** Ends a worker and whatever job it runs, settling that job at once (status 137). Only what runs
 *  under nsenter is killed: nsenter reaps it and exits (see killBelow). */
function endWorker(pool: Pool, w: Worker): void {
  w.child.stdin!.destroy();
  if (w.child.pid) killBelow(w.child.pid);
  dropWorker(pool, w, 137);
}

/** An idle worker keeps no event loop alive; a busy one does. */
function setRef(w: Worker, on: boolean): void {
  for (const s of [w.child.stdout, w.child.stdin] as Array<{ ref?(): void; unref?(): void } | null>) (on ? s?.ref : s?.unref)?.call(s);
}

/** Reads the worker's frames: `ready`, a job's output and its end; anything else ends the worker. */
function readWorker(pool: Pool, w: Worker, settle: (ok: boolean) => void) {
  const finish = (how: JobEnd) => {
    const job = w.job;
    w.job = undefined;
    setRef(w, false);
    job?.end(how);
  };
  return createFrameReader({
    onData: (stream, chunk) => (stream === 'o' ? w.job?.out : w.job?.err)?.push(chunk),
    onLine(line) {
      if (line === 'ready') return settle(true);
      const m = /^(done|lost) (\d+)(?: (\d+))?$/.exec(line);
      if (!m || !w.job || Number(m[2]) !== w.job.id) return;
      finish(m[1] === 'lost' ? { lost: true } : { status: Number(m[3]) });
    },
    // something inside wrote into the worker's pipe: trust it no more
    onGarbage: () => {
      settle(false);
      endWorker(pool, w);
    },
  });
}

function startWorker(pool: Pool): Promise<Worker | undefined> {
  return new Promise((resolve) => {
    // detached: a session of its own, so nothing inside can reach the tutor's terminal (TIOCSTI
    // on /dev/tty), nor be signalled by it
    const child = spawn(pool.prefix[0]!, [...pool.prefix.slice(1), 'bash', '--norc', '--noprofile'], {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: { ...process.env, ...pool.env },
      detached: true,
    });
    const w: Worker = { child, gone: false };
    let ready = false;
    const timer = setTimeout(() => settle(false), READY_TIMEOUT_MS);
    const settle = (ok: boolean) => {
      if (ready) return;
      ready = true;
      clearTimeout(timer);
      if (ok) pool.workers.add(w);
      else endWorker(pool, w);
      resolve(ok ? w : undefined);
    };
    child.stdout!.on('data', readWorker(pool, w, settle));
    child.on('error', () => settle(false));
    child.on('exit', () => {
      settle(false);
      dropWorker(pool, w, child.exitCode ?? 137);
    });
    child.stdin!.on('error', () => {});
    child.unref();
    child.stdin!.write(`${WORKER_LOOP}\n`);
  });
}

async function acquire(pool: Pool): Promise<Worker | undefined> {
  for (const w of pool.workers) if (!w.job && !w.gone) return w;
  if (pool.workers.size + pool.starting >= MAX_WORKERS || pool.broken || pool.closed) return undefined;
  const w = await startWorker(pool);
  if (!w) pool.broken = true;
  return w;
}

/** The job as the worker reads it: its environment exported, then the script (bash holds no NUL in
 *  a string: the worker could not count it). */
function jobText(script: string, env: Record<string, string> = {}): Buffer {
  const exports = Object.entries(env)
    .map(([k, v]) => `export ${k}=${quoteForShell(v)}; `)
    .join('');
  return Buffer.from((exports + script).replace(/\0/g, ''), 'utf8');
}

/** Hands the job to `w` and waits for its end; a timeout or an abort ends the worker with it. */
function runOnWorker(pool: Pool, w: Worker, text: Buffer, options: RunOptions, job: Pick<Job, 'out' | 'err'>): Promise<{ how: JobEnd; outcome: RunResult['outcome'] }> {
  const id = ++pool.nextJob;
  let outcome: RunResult['outcome'] = 'exited';
  return new Promise((resolve) => {
    const stop = (why: RunResult['outcome']) => {
      outcome = why;
      endWorker(pool, w);
    };
    const timer = options.timeoutMs ? setTimeout(() => stop('timed-out'), options.timeoutMs) : undefined;
    const onAbort = () => stop('cancelled');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    w.job = {
      id,
      ...job,
      end: (how) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        resolve({ how, outcome });
      },
    };
    setRef(w, true);
    w.child.stdin!.write(Buffer.concat([Buffer.from(`${id} ${text.length}\n`), text]));
  });
}

async function runWarm(pool: Pool, cold: CommandRunner, script: string, options: RunOptions = {}): Promise<RunResult> {
  if (options.input !== undefined || pool.broken || pool.closed) return cold.run(script, options);
  const started = performance.now();
  if (options.signal?.aborted) return { stdout: '', stderr: '', exitCode: -1, outcome: 'cancelled', durationMs: 0 };
  const w = await acquire(pool);
  // taken meanwhile by a parallel call that found it idle first: go cold rather than wait
  if (!w || w.job || w.gone) return cold.run(script, options);
  const out = new TailBuffer(MAX_OUTPUT);
  const err = new TailBuffer(MAX_OUTPUT);
  const { how, outcome } = await runOnWorker(pool, w, jobText(script, options.env), options, { out, err });
  // the worker could not make the job's files (the learner made /run unwritable): the script did
  // not run; it runs cold, and so do later calls
  if ('lost' in how) {
    pool.broken = true;
    return cold.run(script, options);
  }
  // killed for a timeout or a cancellation: as the cold runner's SIGKILLed bash
  const exitCode = outcome === 'exited' ? how.status : 137;
  // (a job ended early sent nothing: its output stayed inside)
  return { stdout: out.text(), stderr: err.text(), exitCode, outcome, durationMs: performance.now() - started };
}

function prewarm(pool: Pool, count: number): void {
  for (let i = pool.workers.size + pool.starting; i < Math.min(count, MAX_WORKERS) && !pool.broken && !pool.closed; i++) {
    pool.starting++;
    void startWorker(pool).then((w) => {
      pool.starting--;
      if (!w) pool.broken = true;
    });
  }
}

/**
 * `prefix` enters the sandbox (as for the cold runner), `cold` runs what the workers cannot.
 */
export function createWarmRunner(prefix: readonly string[], env: Record<string, string>, cold: CommandRunner): WarmRunner {
  const pool: Pool = { prefix, env, workers: new Set(), starting: 0, nextJob: 0, closed: false, broken: false };
  return {
    where: cold.where,
    exec: (argv, options) => cold.exec(argv, options),
    run: (script, options) => runWarm(pool, cold, script, options),
    prewarm: (count) => prewarm(pool, count),
    close() {
      if (pool.closed) return;
      pool.closed = true;
      for (const w of [...pool.workers]) endWorker(pool, w);
      pool.workers.clear();
    },
  };
}
