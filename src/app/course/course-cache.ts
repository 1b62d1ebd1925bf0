// A cache of the parsed course, so the tutor's first frame does not wait for the lesson parser
// (YAML and schema validation: ~100 ms for the built-in course, plus loading them). Keyed by the
// lesson files' names, sizes and times and by this build; any mismatch, or any error, means
// "parse again". Best effort: it never stops the tutor.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Course } from '../../domain/lesson/types.js';

const FORMAT = 1;

function buildIdentity(): string {
  try {
    const self = statSync(fileURLToPath(import.meta.url));
    return `${self.size}:${self.mtimeMs}`;
  } catch {
    return 'unknown';
  }
}

/** What the cached course depends on: every lesson file's name, size and time, and this build. */
export function courseKey(dir: string): string {
  const files = readdirSync(dir)
    .filter((n) => n.endsWith('.md'))
    .sort()
    .map((n) => {
      const st = statSync(join(dir, n));
      return `${n}:${st.size}:${st.mtimeMs}`;
    });
  return createHash('sha256').update(JSON.stringify([FORMAT, buildIdentity(), resolve(dir), files])).digest('hex');
}

function cacheDir(env: NodeJS.ProcessEnv): string[] {
  const home = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return [join(home, 'netns-tutor'), join(tmpdir(), `netns-tutor-${process.getuid?.() ?? 'user'}`, 'cache')];
}

const fileFor = (base: string, dir: string) => join(base, `course-${createHash('sha256').update(resolve(dir)).digest('hex').slice(0, 16)}.json`);

export function readCachedCourse(dir: string, env: NodeJS.ProcessEnv = process.env): Course | undefined {
  try {
    const key = courseKey(dir);
    for (const base of cacheDir(env)) {
      try {
        const cached = JSON.parse(readFileSync(fileFor(base, dir), 'utf8')) as { key: string; course: Course };
        if (cached.key === key) return cached.course;
      } catch {
        // not there, or not readable: try the next place
      }
    }
  } catch {
    // the folder itself cannot be read: the loader will say so
  }
  return undefined;
}

export function writeCachedCourse(dir: string, course: Course, env: NodeJS.ProcessEnv = process.env): void {
  let key: string;
  try {
    key = courseKey(dir);
  } catch {
    return;
  }
  for (const base of cacheDir(env)) {
    try {
      mkdirSync(base, { recursive: true, mode: 0o700 });
      const file = fileFor(base, dir);
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify({ key, course }), { mode: 0o600 });
      renameSync(tmp, file);
      return;
    } catch {
      // try the next place
    }
  }
}

/** The course in `dir`: from the cache when it is current, else parsed (the lesson parser, with
 *  YAML and the schema, loaded only then) and cached for next time. */
export async function loadCourseCached(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<Course> {
  const cached = readCachedCourse(dir, env);
  if (cached) return cached;
  const { loadCourse } = await import('./load-course.js');
  const course = await loadCourse(dir);
  writeCachedCourse(dir, course, env);
  return course;
}
