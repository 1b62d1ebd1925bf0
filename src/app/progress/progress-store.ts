// The progress store: where a course's progress lives (--progress FILE, $NETNS_TUTOR_PROGRESS, or
// one file per course under $XDG_STATE_HOME/netns-tutor, moved there from the old config location),
// a private temp-dir fallback when that cannot be written, and saving after every completed step.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { AbortError } from '../../domain/errors.js';
import { lessonsDir } from '../../world/sandbox/paths.js';
import type { Notice, StepOutcome } from '../../domain/session/types.js';
import { completedSteps, mergeProgress, type ProgressData, type StepRecord } from './progress-data.js';
import { errno, readProgressFile, unusable, updateProgressFile } from './progress-file.js';

export interface ProgressStore {
  readonly path: string;
  /** The progress as last read or written. */
  read(): ProgressData;
  recordStep(lessonId: string, stepId: string, outcome: StepOutcome, at?: Date): Promise<void>;
  savePosition(lessonId: string, stepId: string): Promise<void>;
}

export interface OpenedProgress {
  store: ProgressStore;
  /** Things the learner should know (a backed-up file, a fallback location, a moved file). */
  notices: Notice[];
}

export interface ProgressWhere {
  /** --progress FILE */
  file?: string;
  /** The course's folder (default: the built-in course). Each course has its own progress. */
  course?: string;
  env?: NodeJS.ProcessEnv;
  /** Only read: create no directory, move no file (`netns-tutor lessons`). */
  readOnly?: boolean;
}

const realOr = (dir: string) => {
  try {
    return realpathSync(dir);
  } catch {
    return resolve(dir);
  }
};

/** The file name for a course: the built-in one keeps "progress.json"; another is named by its
 *  folder and a hash of its real path, so two folders called "lessons" do not share progress. */
export function progressFileName(course: string | undefined): string {
  if (course === undefined) return 'progress.json';
  const real = realOr(course);
  if (real === realOr(lessonsDir)) return 'progress.json';
  const slug = basename(real).replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40) || 'course';
  return join('courses', `${slug}-${createHash('sha256').update(real).digest('hex').slice(0, 12)}.json`);
}

const stateDir = (env: NodeJS.ProcessEnv) => join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'netns-tutor');
/** Where versions up to 0.1 kept progress (conf's default on Linux). */
const oldConfigFile = (env: NodeJS.ProcessEnv) => join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'netns-tutor', 'progress.json');

/** A private per-user directory in the temp dir (created 0700, and it must be ours). */
function fallbackDir(): string {
  const dir = join(tmpdir(), `netns-tutor-${process.getuid?.() ?? 'user'}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.getuid && statSync(dir).uid !== process.getuid()) {
    throw new AbortError(`${dir} belongs to another user, so progress cannot be kept there.`, 'Set NETNS_TUTOR_PROGRESS to a file you own.');
  }
  return dir;
}

/** Moves the old config-dir progress file to `path` (the built-in course's), once. */
function migrate(env: NodeJS.ProcessEnv, path: string, notices: Notice[]): void {
  const old = oldConfigFile(env);
  if (existsSync(path) || !existsSync(old)) return;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    renameSync(old, path);
  } catch (e) {
    if (errno(e) !== 'EXDEV') throw e;
    copyFileSync(old, path);
    rmSync(old);
  }
  notices.push({ tone: 'info', text: `Your progress moved from ${old} to ${path} (progress is state, not configuration).` });
}

function storeAt(path: string, initial: ProgressData, notices: Notice[]): ProgressStore {
  let data = initial;
  let queue: Promise<void> = Promise.resolve();
  /** Applied to `data` at once; saved in order, each merged with what other tutors wrote. */
  const save = (ours: ProgressData): Promise<void> => {
    data = mergeProgress(data, ours);
    const done = queue.then(async () => {
      data = mergeProgress(await updateProgressFile(path, (onDisk) => mergeProgress(onDisk, ours), notices), ours);
    });
    queue = done.catch(() => {});
    return done;
  };
  return {
    path,
    read: () => data,
    recordStep(lessonId, stepId, outcome, at = new Date()) {
      const record: StepRecord = { lessonId, stepId, outcome, at: at.toISOString() };
      return save({ version: 1, steps: { [`${lessonId}/${stepId}`]: record } });
    },
    savePosition(lessonId, stepId) {
      return save({ version: 1, position: { lessonId, stepId }, steps: {} });
    },
  };
}

function openAt(path: string, notices: Notice[], readOnly: boolean): ProgressStore {
  if (!readOnly) {
    try {
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    } catch (e) {
      throw unusable(path, e);
    }
  }
  return storeAt(path, readProgressFile(path, notices, readOnly), notices);
}

/** Opens the progress store: `file`, else $NETNS_TUTOR_PROGRESS, else the course's file in the
 *  per-user state dir (falling back to a temp dir, with a notice, when that cannot be written). */
export function openProgress(where: ProgressWhere = {}): OpenedProgress {
  const env = where.env ?? process.env;
  const readOnly = where.readOnly ?? false;
  const notices: Notice[] = [];
  const file = where.file ?? (env.NETNS_TUTOR_PROGRESS || undefined);
  if (file) return { store: openAt(resolve(file), notices, readOnly), notices };

  const name = progressFileName(where.course);
  const path = join(stateDir(env), name);
  const builtIn = name === 'progress.json';
  if (readOnly) {
    const old = oldConfigFile(env);
    const from = builtIn && !existsSync(path) && existsSync(old) ? old : path;
    return { store: openAt(from, notices, true), notices };
  }
  try {
    if (builtIn) migrate(env, path, notices);
    return { store: openAt(path, notices, false), notices };
  } catch (e) {
    const code = errno(e instanceof AbortError ? e.cause : e);
    if (!['EACCES', 'EROFS', 'EPERM', 'ENOENT', 'ENOTDIR'].includes(code ?? '')) throw e;
    const store = openAt(join(fallbackDir(), name), notices, false);
    notices.push({
      tone: 'info',
      text: `Your state directory ${stateDir(env)} cannot be written (${code}), so progress is kept in ${store.path} until the next reboot. Set NETNS_TUTOR_PROGRESS or XDG_STATE_HOME to keep it elsewhere.`,
    });
    return { store, notices };
  }
}

export { completedSteps };
