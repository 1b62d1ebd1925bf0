// The progress store: the one module that touches `conf`. Where the file lives (flag, env var,
// the per-user config dir, or a temp-dir fallback when home is not writable), backing up a
// corrupt file instead of failing, and saving after every completed step.
import Conf from 'conf';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { AbortError } from '../errors.js';
import { basename, dirname, extname, join, resolve } from 'node:path';
import type { Notice, StepOutcome } from '../session/types.js';
import { completedSteps, emptyProgress, readProgressData, type ProgressData, type StepRecord } from './progress-data.js';

export interface ProgressStore {
  readonly path: string;
  read(): ProgressData;
  recordStep(lessonId: string, stepId: string, outcome: StepOutcome, at?: Date): void;
  savePosition(lessonId: string, stepId: string): void;
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

type ConfStore = Conf<Record<string, unknown>>;

interface Location {
  cwd: string;
  configName: string;
  fileExtension: string;
}

const pathOf = (l: Location) => join(l.cwd, `${l.configName}${l.fileExtension ? `.${l.fileExtension}` : ''}`);

function confAt(location: Location): ConfStore {
  return new Conf({ ...location, projectName: 'netns-tutor', accessPropertiesByDotNotation: false, clearInvalidConfig: false });
}

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
  const st = statSync(cwd);
  if (process.getuid && st.uid !== process.getuid()) throw new AbortError(`${cwd} belongs to another user, so progress cannot be kept there.`, 'Set NETNS_TUTOR_PROGRESS to a file you own.');
  return { cwd, configName: 'progress', fileExtension: 'json' };
}

function backUp(path: string): string {
  const backup = `${path}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(path, backup);
  return backup;
}

const errno = (e: unknown): string | undefined => (e as NodeJS.ErrnoException | undefined)?.code;

/** Opens conf at a location; a file that is not JSON, or not progress data, is moved aside. */
function openAt(location: Location, notices: Notice[]): ConfStore {
  let conf: ConfStore;
  try {
    conf = confAt(location);
  } catch (e) {
    const path = pathOf(location);
    if (!(e instanceof SyntaxError) || !existsSync(path)) throw e;
    const backup = backUp(path);
    notices.push({ tone: 'warn', text: `Your progress file ${path} was not valid JSON. It was moved to ${backup}; starting with fresh progress.` });
    return confAt(location);
  }
  const check = readProgressData(conf.store);
  if ('problem' in check) {
    const backup = backUp(conf.path);
    notices.push({ tone: 'warn', text: `Your progress file ${conf.path} could not be read (${check.problem}). It was moved to ${backup}; starting with fresh progress.` });
    return confAt(location);
  }
  return conf;
}

function wrap(conf: ConfStore): ProgressStore {
  const read = (): ProgressData => {
    const r = readProgressData(conf.store);
    return 'data' in r ? r.data : emptyProgress();
  };
  return {
    path: conf.path,
    read,
    recordStep(lessonId, stepId, outcome, at = new Date()) {
      const data = read();
      const key = `${lessonId}/${stepId}`;
      const record: StepRecord = { lessonId, stepId, outcome: data.steps[key]?.outcome === 'passed' ? 'passed' : outcome, at: at.toISOString() };
      conf.set({ version: 1, steps: { ...data.steps, [key]: record } });
    },
    savePosition(lessonId, stepId) {
      conf.set({ version: 1, position: { lessonId, stepId } });
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
    try {
      return { store: wrap(openAt(explicitLocation(file), notices)), notices };
    } catch (e) {
      if (e instanceof AbortError || !errno(e)) throw e;
      throw new AbortError(`cannot use ${resolve(file)} for progress: ${(e as Error).message}`, 'Point --progress (or NETNS_TUTOR_PROGRESS) at a file in a directory you can write.');
    }
  }
  try {
    return { store: wrap(openAt(defaultLocation(env), notices)), notices };
  } catch (e) {
    if (!['EACCES', 'EROFS', 'EPERM', 'ENOENT', 'ENOTDIR'].includes(errno(e) ?? '')) throw e;
    const fallback = fallbackLocation();
    const store = wrap(openAt(fallback, notices));
    notices.push({
      tone: 'info',
      text: `Your config directory cannot be written (${errno(e)}), so progress is kept in ${store.path} until the next reboot. Set NETNS_TUTOR_PROGRESS or XDG_CONFIG_HOME to keep it elsewhere.`,
    });
    return { store, notices };
  }
}

export { completedSteps };
