// prepareState: brings a FRESH sandbox to the state before a step, by replaying the course's
// files, setups and solutions in one runner call. A replay that breaks is our bug (or the
// course's), so it throws a BugError naming the lesson and step with the output.
import type { Course } from '../../domain/lesson/types.js';
import { BugError } from '../../domain/errors.js';
import type { CommandRunner, RunResult } from '../../world/exec/types.js';
import {
  buildReplayScript,
  describePart,
  parseReplayLog,
  planReplay,
  RC_OUTSIDE_SANDBOX,
  ReplayPlanError,
  type ReplayLog,
  type ReplayPart,
} from '../../domain/lesson/replay-plan.js';

export interface ReplayOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** How long a replay may take before it is given up (a command waiting for input, say). */
export const REPLAY_TIMEOUT_MS = 60_000;

/** Exit statuses that mean the commands themselves are broken, not that the network said no:
 *  not found / not executable, and a bash syntax error. A learner's `ping` that gets no answer
 *  (1), or `ip` refusing a duplicate (2), is a result the step's checks judge. */
function isBroken(status: number, command: string): boolean {
  return status === 126 || status === 127 || command.startsWith('(the commands could not be parsed');
}

function tail(text: string, lines = 15): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

/** Runs parts in one shell; throws a BugError when a part cannot run or the shell stops early. */
export async function replayParts(runner: CommandRunner, parts: readonly ReplayPart[], options: ReplayOptions = {}): Promise<ReplayLog> {
  if (parts.length === 0) return { failures: [], outputs: [], durationsMs: [], completed: true, lastPart: -1 };
  const timeoutMs = options.timeoutMs ?? REPLAY_TIMEOUT_MS;
  const r = await runner.run(buildReplayScript(parts), { timeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
  return judgeReplay(parts, r, runner.where, timeoutMs);
}

/** Reads the result of buildReplayScript(parts), run wherever: the log, or a BugError naming the
 *  part that could not run or stopped the shell. */
export function judgeReplay(parts: readonly ReplayPart[], r: RunResult, where: string, timeoutMs: number): ReplayLog {
  if (r.exitCode === RC_OUTSIDE_SANDBOX) throw new BugError(`replaying lesson commands needs a sandbox, and ${where} is not one`);
  if (r.outcome === 'cancelled') throw new BugError('the replay was cancelled');
  const log = parseReplayLog(parts, r.stdout);
  const last = parts[log.lastPart];
  if (!log.completed) {
    const why = r.outcome === 'timed-out' ? `did not finish within ${timeoutMs / 1000} s (a command waits for input, or runs in the foreground forever?)` : `stopped the shell (exit ${r.exitCode}: an \`exit\`?)`;
    throw new BugError(`replaying ${last ? describePart(last) : 'the course'} ${why}\n${tail(log.outputs[log.lastPart] ?? r.stderr)}`);
  }
  const broken = log.failures.find((f) => isBroken(f.status, f.command));
  if (broken) {
    const output = log.outputs[parts.indexOf(broken.part)] ?? '';
    throw new BugError(`replaying ${describePart(broken.part)} failed: \`${broken.command}\` exited ${broken.status}\n${tail(output)}`);
  }
  return log;
}

export async function prepareState(
  runner: CommandRunner,
  course: Course,
  lessonId: string,
  before: { stepIndex: number },
  options: ReplayOptions = {},
): Promise<ReplayLog> {
  return replayParts(runner, partsBefore(course, lessonId, before.stepIndex), options);
}

/** The parts that bring a fresh sandbox to the state before a step (a BugError if the course
 *  cannot say). */
export function partsBefore(course: Course, lessonId: string, stepIndex: number): ReplayPart[] {
  try {
    return planReplay(course, lessonId, stepIndex);
  } catch (e) {
    if (e instanceof ReplayPlanError) throw new BugError(e.message);
    throw e;
  }
}
