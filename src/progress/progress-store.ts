// The progress store: the one module that touches `conf`. Where the file lives (flag, env var,
// the per-user config dir, or a private temp-dir fallback when home is not writable), backing up
// a corrupt file instead of failing, and saving after every completed step.
//
// Start-up reads the file directly (it is conf's plain JSON): conf pulls in a JSON-schema
// validator (~30 ms to load) that the first frame should not wait for, so it is imported on
// the first write.
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { AbortError } from '../errors.js';
import type { Notice, StepOutcome } from '../session/types.js';
import { completedSteps, emptyProgress, readProgressData, type ProgressData, type StepRecord } from './progress-data.js';

export interface ProgressStore {
  readonly path: string;
  /** The progress as last read or written. */
  read(): ProgressData;
  recordStep(lessonId: string, stepId: string, outcome: StepOutcome, at?: Date): Promise<void>;
  savePosition(lessonId: string, stepId: string): Promise<void>;
}

export interface OpenedProgress {
  store: ProgressStore;
  /** Things the learner should know (a backed-up file, a fallback location). */
  notices: Notice[];
}

export interface ProgressWhere {
  /** --progress FILE */
  file?: string;
  env?: NodeJS.ProcessEnv;
}

interface Location {
  cwd: string;
  configName: string;
  fileExtension: string;
}

const pathOf = (l: Location) => join(l.cwd, `${l.configName}${l.fileExtension ? `.${l.fileExtension}` : ''}`);
const errno = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

function explicitLocation(file: string): Location {
  const full = resolve(file);
  const ext = extname(full);
  return { cwd: dirname(full), configName: basename(full, ext), fileExtension: ext.replace(/^\./, '') };
}

/** Where env-paths (conf's default) would put it on Linux, named for what it holds. */
function defaultLocation(env: NodeJS.ProcessEnv): Location {
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return { cwd: join(base, 'netns-tutor'), configName: 'progress', fileExtension: 'json' };
}

/** A private per-user directory in the temp dir (created 0700, and it must be ours). */
function fallbackLocation(): Location {
  const cwd = join(tmpdir(), `netns-tutor-${process.getuid?.() ?? 'user'}`);
  mkdirSync(cwd, { recursive: true, mode: 0o700 });
  if (process.getuid && statSync(cwd).uid !== process.getuid()) {
    throw new AbortError(`${cwd} belongs to another user, so progress cannot be kept there.`, 'Set NETNS_TUTOR_PROGRESS to a file you own.');
  }
  return { cwd, configName: 'progress', fileExtension: 'json' };
}

function backUp(path: string): string {
  const backup = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(path, backup);
  return backup;
}

/** Reads the file at a location; one that is not JSON, or not progress data, is moved aside. */
function readAt(location: Location, notices: Notice[]): ProgressData {
  mkdirSync(location.cwd, { recursive: true });
  accessSync(location.cwd, constants.W_OK);
  const path = pathOf(location);
  if (!existsSync(path)) return emptyProgress();
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    notices.push({ tone: 'warn', text: `Your progress file ${path} was not valid JSON. It was moved to ${backUp(path)}; starting with fresh progress.` });
    return emptyProgress();
  }
  const r = readProgressData(raw);
  if ('data' in r) return r.data;
  notices.push({ tone: 'warn', text: `Your progress file ${path} could not be read (${r.problem}). It was moved to ${backUp(path)}; starting with fresh progress.` });
  return emptyProgress();
}

type ConfStore = { set(object: Record<string, unknown>): void };

function storeAt(location: Location, initial: ProgressData): ProgressStore {
  let data = initial;
  let conf: Promise<ConfStore> | undefined;
  let queue: Promise<void> = Promise.resolve();
  const open = () =>
    (conf ??= import('conf').then(
      ({ default: Conf }) => new Conf<Record<string, unknown>>({ ...location, projectName: 'netns-tutor', accessPropertiesByDotNotation: false }),
    ));
  /** Writes are applied to `data` at once and saved in order. */
  const save = (next: ProgressData, keys: Record<string, unknown>): Promise<void> => {
    data = next;
    const done = queue.then(async () => (await open()).set(keys));
    queue = done.catch(() => {});
    return done;
  };
  return {
    path: pathOf(location),
    read: () => data,
    recordStep(lessonId, stepId, outcome, at = new Date()) {
      const key = `${lessonId}/${stepId}`;
      const record: StepRecord = { lessonId, stepId, outcome: data.steps[key]?.outcome === 'passed' ? 'passed' : outcome, at: at.toISOString() };
      const steps = { ...data.steps, [key]: record };
      return save({ ...data, steps }, { version: 1, steps });
    },
    savePosition(lessonId, stepId) {
      const position = { lessonId, stepId };
      return save({ ...data, position }, { version: 1, position });
    },
  };
}

/** Opens the progress store: `file`, else $NETNS_TUTOR_PROGRESS, else the per-user config dir
 *  (falling back to a temp dir, with a notice, when that cannot be written). */
export function openProgress(where: ProgressWhere = {}): OpenedProgress {
  const env = where.env ?? process.env;
  const notices: Notice[] = [];
  const file = where.file ?? (env.NETNS_TUTOR_PROGRESS || undefined);
  if (file) {
    const location = explicitLocation(file);
    try {
      return { store: storeAt(location, readAt(location, notices)), notices };
    } catch (e) {
      if (e instanceof AbortError || !errno(e)) throw e;
      throw new AbortError(`cannot use ${resolve(file)} for progress: ${(e as Error).message}`, 'Point --progress (or NETNS_TUTOR_PROGRESS) at a file in a directory you can write.');
    }
  }
  const location = defaultLocation(env);
  try {
    return { store: storeAt(location, readAt(location, notices)), notices };
  } catch (e) {
    if (!['EACCES', 'EROFS', 'EPERM', 'ENOENT', 'ENOTDIR'].includes(errno(e) ?? '')) throw e;
    const fallback = fallbackLocation();
    const store = storeAt(fallback, readAt(fallback, notices));
    notices.push({
      tone: 'info',
      text: `Your config directory cannot be written (${errno(e)}), so progress is kept in ${store.path} until the next reboot. Set NETNS_TUTOR_PROGRESS or XDG_CONFIG_HOME to keep it elsewhere.`,
    });
    return { store, notices };
  }
}

export { completedSteps };
