// The warm runner: run() through bash processes already inside the sandbox. Each script runs in
// a subshell of an idle one, instead of a fresh `nsenter` + `bash` per call: ~0.7 ms a call
// instead of ~5, which every check evaluation pays twice (snapshot and probes).
//
// A job is a file the worker reads, ID.sh in the sandbox's private /run (written from here through
// /proc/INIT/root); its stdin is /dev/null and its stdout and stderr go to ID.out and ID.err beside
// it, read from here and removed once it ends. So a server a script starts with `&` writes into its
// own job's files, never into a later job's output, and never holds a pipe of ours. The worker's
// stdin carries only job IDs, its stdout only `done ID STATUS` lines. The worker's loop is its first
// input line, and the eval is on it: bash then numbers a script's lines from 1 in its messages
// (`bash: line 2: readlnk: command not found`), as `bash -c` does.
//
// A timeout or a cancellation ends the worker with the job (the next call starts another). Where a
// worker cannot start, or the caller passes input, the cold runner does the call as before.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, unlinkSync, writeFileSync } from 'node:fs';
import { quoteForShell } from '../core/shell-quote.js';
import { killBelow } from '../exec/process-tree.js';
import type { CommandRunner, RunOptions, RunResult } from '../exec/types.js';

/** Inside the sandbox: where jobs write their output. */
const JOB_DIR = '/run/tutor/jobs';
/** Workers kept at most; a call beyond that (many in parallel) takes the cold path. */
const MAX_WORKERS = 4;
/** Output kept per stream, as the cold runner's maxBuffer: the last bytes of it. */
const MAX_OUTPUT = 64 * 1024 * 1024;
const READY_TIMEOUT_MS = 5_000;

/** The worker's one line: makes the job directory, says it is ready, then runs each job ID it
 *  reads: the script in a subshell, its status after the marker. */
const WORKER_LOOP =
  `mkdir -p ${JOB_DIR} && printf '\\036ready\\n'; ` +
  `while read -r __nt_id; do IFS= read -r -d '' __nt_s <"${JOB_DIR}/$__nt_id.sh"; ` +
  `(eval "$__nt_s") </dev/null >"${JOB_DIR}/$__nt_id.out" 2>"${JOB_DIR}/$__nt_id.err"; ` +
  `printf '\\036done %s %d\\n' "$__nt_id" "$?"; done`;

export interface WarmRunner extends CommandRunner {
  /** Starts workers (in the background) until `count` are there, so the next calls find them
   *  ready: for a caller that knows calls are coming and has time now. */
  prewarm(count: number): void;
  /** Ends the workers (idempotent). */
  close(): void;
}

interface Job {
  id: number;
  /** With the job's status, or the worker's when it died under the job. */
  resolve(exitCode: number): void;
}

interface Worker {
  child: ChildProcess;
  job?: Job;
  gone: boolean;
}

/** The last MAX_OUTPUT bytes of a file, or '' when it is not there; the file is removed. */
export function takeFile(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return '';
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, MAX_OUTPUT);
    const buffer = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const n = readSync(fd, buffer, read, length - read, size - length + read);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read).toString('utf8');
  } finally {
    closeSync(fd);
    remove(path);
  }
}

/** Writes a job's script, making the job directory again if the learner removed it. */
function writeJob(path: string, script: string): boolean {
  try {
    writeFileSync(path, script);
    return true;
  } catch {
    try {
      mkdirSync(path.slice(0, path.lastIndexOf('/')), { recursive: true });
      writeFileSync(path, script);
      return true;
    } catch {
      return false;
    }
  }
}

function remove(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone (the learner cleared /run/tutor, say)
  }
}

/**
 * `prefix` enters the sandbox (as for the cold runner), `sandboxRoot` is where this process sees
 * the sandbox's files (/proc/INIT/root), `cold` runs what the workers cannot.
 */
export function createWarmRunner(prefix: readonly string[], env: Record<string, string>, sandboxRoot: string, cold: CommandRunner): WarmRunner {
  const workers = new Set<Worker>();
  let nextJob = 0;
  // workers being started by prewarm
  let starting = 0;
  let closed = false;
  // set when a worker could not start or lost its job directory: calls go cold from then on
  let broken = false;

  // A worker that is gone (or going) takes no more jobs; its job, if any, settles with `status`.
  const dropWorker = (w: Worker, status: number) => {
    if (w.gone) return;
    w.gone = true;
    workers.delete(w);
    const job = w.job;
    w.job = undefined;
    job?.resolve(status);
  };
  // Ends a worker and whatever job it runs, settling that job at once (status 137). Only what
  // runs under nsenter is killed: nsenter reaps it and exits (see killBelow).
  const endWorker = (w: Worker) => {
    w.child.stdin!.destroy();
    if (w.child.pid) killBelow(w.child.pid);
    dropWorker(w, 137);
  };

  const setRef = (w: Worker, on: boolean) => {
    for (const s of [w.child.stdout, w.child.stdin] as Array<{ ref?(): void; unref?(): void } | null>) (on ? s?.ref : s?.unref)?.call(s);
  };

  const startWorker = (): Promise<Worker | undefined> =>
    new Promise((resolve) => {
      const child = spawn(prefix[0]!, [...prefix.slice(1), 'bash', '--norc', '--noprofile'], {
        stdio: ['pipe', 'pipe', 'ignore'],
        env: { ...process.env, ...env },
      });
      const w: Worker = { child, gone: false };
      let ready = false;
      let carry = '';
      const timer = setTimeout(() => settle(false), READY_TIMEOUT_MS);
      const settle = (ok: boolean) => {
        if (ready) return;
        ready = true;
        clearTimeout(timer);
        if (ok) {
          workers.add(w);
          resolve(w);
        } else {
          endWorker(w);
          resolve(undefined);
        }
      };
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (text: string) => {
        const lines = (carry + text).split('\n');
        carry = lines.pop() ?? '';
        for (const line of lines) {
          if (line === '\x1eready') settle(true);
          const m = /^\x1edone (\d+) (\d+)$/.exec(line);
          if (m && w.job && Number(m[1]) === w.job.id) {
            const job = w.job;
            w.job = undefined;
            setRef(w, false);
            job.resolve(Number(m[2]));
          }
        }
      });
      child.on('error', () => settle(false));
      child.on('exit', () => {
        settle(false);
        dropWorker(w, child.exitCode ?? 137);
      });
      child.stdin!.on('error', () => {});
      child.unref();
      child.stdin!.write(`${WORKER_LOOP}\n`);
    });

  const acquire = async (): Promise<Worker | undefined> => {
    for (const w of workers) if (!w.job && !w.gone) return w;
    if (workers.size + starting >= MAX_WORKERS || broken || closed) return undefined;
    const w = await startWorker();
    if (!w) broken = true;
    return w;
  };

  const run = async (script: string, options: RunOptions = {}): Promise<RunResult> => {
    if (options.input !== undefined || broken || closed) return cold.run(script, options);
    const started = performance.now();
    if (options.signal?.aborted) return { stdout: '', stderr: '', exitCode: -1, outcome: 'cancelled', durationMs: 0 };
    const w = await acquire();
    // taken meanwhile by a parallel call that found it idle first: go cold rather than wait
    if (!w || w.job || w.gone) return cold.run(script, options);
    const id = ++nextJob;
    const file = (ext: string) => `${sandboxRoot}${JOB_DIR}/${id}.${ext}`;
    const exports = Object.entries(options.env ?? {})
      .map(([k, v]) => `export ${k}=${quoteForShell(v)}; `)
      .join('');
    if (!writeJob(file('sh'), exports + script)) {
      broken = true;
      return cold.run(script, options);
    }
    let outcome: RunResult['outcome'] = 'exited';
    const status = await new Promise<number>((resolve) => {
      const stop = (why: RunResult['outcome']) => {
        outcome = why;
        endWorker(w);
      };
      const timer = options.timeoutMs ? setTimeout(() => stop('timed-out'), options.timeoutMs) : undefined;
      const onAbort = () => stop('cancelled');
      options.signal?.addEventListener('abort', onAbort, { once: true });
      w.job = {
        id,
        resolve: (r) => {
          clearTimeout(timer);
          options.signal?.removeEventListener('abort', onAbort);
          resolve(r);
        },
      };
      setRef(w, true);
      w.child.stdin!.write(`${id}\n`);
    });
    // a job whose output file is missing could not be started there (the learner made /run
    // unwritable, say) or removed it itself: either way, later calls take the cold path
    if (!existsSync(file('out'))) broken = true;
    const stdout = takeFile(file('out'));
    const stderr = takeFile(file('err'));
    remove(file('sh'));
    // killed for a timeout or a cancellation: as the cold runner's SIGKILLed bash
    const exitCode = outcome === 'exited' ? status : 137;
    return { stdout, stderr, exitCode, outcome, durationMs: performance.now() - started };
  };

  return {
    where: cold.where,
    exec: (argv, options) => cold.exec(argv, options),
    run,
    prewarm(count) {
      for (let i = workers.size + starting; i < Math.min(count, MAX_WORKERS) && !broken && !closed; i++) {
        starting++;
        void startWorker().then((w) => {
          starting--;
          if (!w) broken = true;
        });
      }
    },
    close() {
      if (closed) return;
      closed = true;
      for (const w of [...workers]) endWorker(w);
      workers.clear();
    },
  };
}
