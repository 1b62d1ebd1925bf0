// The parsed-course cache: hit on an unchanged folder, miss when a lesson file changes.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCachedCourse, writeCachedCourse } from '../src/app/course/course-cache.js';
import { makeCourse } from './fixtures/tutor-course-model.js';

let dir: string;
let env: NodeJS.ProcessEnv;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'netns-tutor-cache-test-'));
  env = { XDG_CACHE_HOME: join(dir, 'cache') };
  writeFileSync(join(dir, '01-a.md'), 'lesson a');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('course cache', () => {
  it('returns what was stored while the lesson files are unchanged', () => {
    expect(readCachedCourse(dir, env)).toBeUndefined();
    writeCachedCourse(dir, makeCourse(), env);
    expect(readCachedCourse(dir, env)).toEqual(makeCourse());
  });

  it('misses when a lesson file changes or appears', () => {
    writeCachedCourse(dir, makeCourse(), env);
    writeFileSync(join(dir, '01-a.md'), 'lesson a, edited');
    expect(readCachedCourse(dir, env)).toBeUndefined();
    writeCachedCourse(dir, makeCourse(), env);
    utimesSync(join(dir, '01-a.md'), new Date(0), new Date(0));
    expect(readCachedCourse(dir, env)).toBeUndefined();
    writeCachedCourse(dir, makeCourse(), env);
    writeFileSync(join(dir, '02-b.md'), 'lesson b');
    expect(readCachedCourse(dir, env)).toBeUndefined();
  });

  it('never throws, even for a folder that does not exist', () => {
    expect(readCachedCourse(join(dir, 'nope'), env)).toBeUndefined();
    expect(() => writeCachedCourse(join(dir, 'nope'), makeCourse(), env)).not.toThrow();
  });
});
