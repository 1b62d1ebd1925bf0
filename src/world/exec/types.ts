// The small interface every part of netns-tutor uses to run a command somewhere: on this
// machine as it is, or inside a sandbox. Pure types; the implementations live beside it.

export type RunOutcome = 'exited' | 'timed-out' | 'cancelled' | 'failed-to-start';

export interface RunResult {
  stdout: string;
  stderr: string;
  /** The exit code; 128+N when killed by signal N; -1 when it never started. */
  exitCode: number;
  outcome: RunOutcome;
  durationMs: number;
}

export interface RunOptions {
  /** Kill the command (and everything it started) after this long. */
  timeoutMs?: number;
  signal?: AbortSignal;
  input?: string;
  env?: Record<string, string>;
}

export interface CommandRunner {
  /** Where the commands run, for messages ("sandbox 3f2a", "this host"). */
  readonly where: string;
  /** Run argv directly. */
  exec(argv: readonly string[], options?: RunOptions): Promise<RunResult>;
  /** Run a bash script. */
  run(script: string, options?: RunOptions): Promise<RunResult>;
}
