// The progress file on disk: reading it with clear errors, keeping a corrupt one aside, and
// writing it so that two tutors of the same user lose nothing (a lock file around read-merge-write,
// the new content renamed into place whole).
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AbortError } from '../../domain/errors.js';
import type { Notice } from '../../domain/session/types.js';
import { emptyProgress, readProgressData, type ProgressData } from './progress-data.js';

export const errno = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

const WHAT_TO_DO = 'Point --progress (or NETNS_TUTOR_PROGRESS) at a file you can read and write.';

/** A progress file that cannot be used at all: the learner must act. */
export function unusable(path: string, e: unknown): AbortError {
  const code = errno(e);
  const why =
    code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOTDIR' ? 'a part of its path is not a directory' : (code ?? String(e));
  const err = new AbortError(`cannot use ${path} for progress: ${why}.`, WHAT_TO_DO);
  err.cause = e;
  return err;
}

function keepAside(path: string): string {
  const aside = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(path, aside);
  return aside;
}

/** The progress in `path` (empty if there is none). A file that is not progress data is moved
 *  aside with a notice, unless `readOnly`: then it is left alone and the notice says so. */
export function readProgressFile(path: string, notices: Notice[], readOnly = false): ProgressData {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (errno(e) === 'ENOENT') return emptyProgress();
    throw unusable(path, e);
  }
  let problem: string;
  try {
    const r = readProgressData(JSON.parse(text));
    if ('data' in r) return r.data;
    problem = `could not be read (${r.problem})`;
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    problem = 'was not valid JSON';
  }
  const kept = readOnly ? 'It was left as it is; the tutor will move it aside and start afresh.' : `It was moved to ${keepAside(path)}; starting with fresh progress.`;
  notices.push({ tone: 'warn', text: `Your progress file ${path} ${problem}. ${kept}` });
  return emptyProgress();
}

const LOCK_STALE_MS = 10_000;
const LOCK_WAIT_MS = 15_000;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The lock beside `path` ("path.lock", holding our pid), waited for; one left by a process that
 *  died (its pid gone, or older than LOCK_STALE_MS) is taken over. */
async function lock(path: string): Promise<() => void> {
  const lockPath = `${path}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (e) {
      if (errno(e) !== 'EEXIST') throw unusable(path, e);
    }
    if (lockIsStale(lockPath)) {
      rmSync(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new AbortError(`another netns-tutor has held ${lockPath} for ${LOCK_WAIT_MS / 1000} s, so progress was not saved.`, 'If no other tutor is running, delete that file.');
    }
    await pause(20 + Math.random() * 30);
  }
}

function lockIsStale(lockPath: string): boolean {
  try {
    const pid = Number(readFileSync(lockPath, 'utf8'));
    if (Date.now() - statSync(lockPath).mtimeMs > LOCK_STALE_MS) return true;
    if (!Number.isInteger(pid) || pid <= 0) return false; // being written this instant
    process.kill(pid, 0);
    return false;
  } catch (e) {
    // ESRCH: its holder is gone; ENOENT: released meanwhile (try again); EPERM: alive, another user's
    return errno(e) === 'ESRCH';
  }
}

/** Writes `data` to `path` whole: a temp file beside it, flushed, renamed over it. */
function writeWhole(path: string, data: ProgressData): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeFileSync(fd, `${JSON.stringify(data, null, '\t')}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw unusable(path, e);
  }
}

/** Under the lock: reads what is on disk now, merges our change into it, writes the result.
 *  Returns what was written. */
export async function updateProgressFile(path: string, change: (onDisk: ProgressData) => ProgressData, notices: Notice[]): Promise<ProgressData> {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  } catch (e) {
    throw unusable(path, e);
  }
  const release = await lock(path);
  try {
    const next = change(readProgressFile(path, notices));
    writeWhole(path, next);
    return next;
  } finally {
    release();
  }
}
