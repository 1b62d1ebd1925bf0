// A fresh sandbox already at the state before a step: the replay of the earlier solutions is the
// sandbox's first script, which its init starts as soon as the world is up, so it does not wait
// for this process (the tutor is busy loading its screen then). A replay too large for the
// environment goes through the runner as usual.
import type { Course } from '../../domain/lesson/types.js';
import { BugError } from '../../domain/errors.js';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../world/sandbox/sandbox.js';
import { buildReplayScript } from '../../domain/lesson/replay-plan.js';
import { judgeReplay, partsBefore, REPLAY_TIMEOUT_MS, replayParts, type ReplayOptions } from './replay.js';

/** Linux limits one environment string to 128 KiB; the replay travels in one. */
const MAX_FIRST_SCRIPT = 100 * 1024;

export async function createPreparedSandbox(
  course: Course,
  lessonId: string,
  stepIndex: number,
  options: ReplayOptions & { sandbox?: SandboxOptions } = {},
): Promise<Sandbox> {
  const parts = partsBefore(course, lessonId, stepIndex);
  const timeoutMs = options.timeoutMs ?? REPLAY_TIMEOUT_MS;
  const script = parts.length > 0 ? buildReplayScript(parts) : undefined;
  const inside = script !== undefined && Buffer.byteLength(script) <= MAX_FIRST_SCRIPT;
  const sandbox = await createSandbox({ ...options.sandbox, ...(inside ? { firstScript: script } : {}) });
  try {
    if (inside && sandbox.first) {
      // the checks come next, snapshot and probes at once: their workers start while we wait
      sandbox.prewarm(2);
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timed-out'>((r) => (timer = setTimeout(() => r('timed-out'), timeoutMs)));
      const onAbort = () => void sandbox.dispose();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const r = await Promise.race([sandbox.first, timedOut]);
        if (options.signal?.aborted) throw new BugError('the replay was cancelled');
        judgeReplay(parts, r === 'timed-out' ? { stdout: '', stderr: '', exitCode: 137, outcome: 'timed-out', durationMs: timeoutMs } : r, sandbox.where, timeoutMs);
      } finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
      }
    } else if (parts.length > 0) {
      await replayParts(sandbox, parts, options);
    }
    return sandbox;
  } catch (e) {
    await sandbox.dispose();
    throw e;
  }
}
