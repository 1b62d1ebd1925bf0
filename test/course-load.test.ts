// loadCourse: the real course loads in order; a broken course reports every problem at once.
import { describe, expect, it } from 'vitest';
import { CourseFormatError, findLesson, findStep, loadCourse } from '../src/app/course/load-course.js';
import { AbortError } from '../src/domain/errors.js';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;

describe('loadCourse', () => {
  it('loads the built-in course, numbered in file order, each `requires` an earlier lesson', async () => {
    const course = await loadCourse();
    expect(course.lessons.length).toBeGreaterThanOrEqual(9);
    course.lessons.forEach((l, i) => {
      expect(l.number).toBe(i + 1);
      if (l.requires) expect(course.lessons.slice(0, i).map((x) => x.id)).toContain(l.requires);
      for (const s of l.steps) expect(s.lessonId).toBe(l.id);
    });
  });

  it('finds lessons and steps by id or number', async () => {
    const course = await loadCourse(fixture('lessons-tiny'));
    const next = findLesson(course, '2');
    expect(next?.id).toBe('next');
    expect(findLesson(course, 'start')?.number).toBe(1);
    expect(findLesson(course, '3')).toBeUndefined();
    expect(findStep(next!, 'flaky-on-purpose')?.number).toBe(2);
    expect(findStep(next!, '1')?.id).toBe('use-the-setup');
  });

  it('reports every problem of a broken course, each with file:line, sorted', async () => {
    const error = await loadCourse(fixture('lessons-bad-course')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as CourseFormatError).errors.map((e) => [e.file.split('/').at(-1), e.line])).toEqual([
      ['02-b.md', 4],
      ['04-d.md', 17],
      ['05-e.md', 3],
      ['notes.md', 1],
    ]);
    const dir = 'test/fixtures/lessons-bad-course';
    expect((error as AbortError).message).toBe(
      [
        `the course in ${dir} has 4 problems:`,
        `  ${dir}/02-b.md:4: expected \`requires\` to name an earlier lesson, found "c" (it comes later in the course)`,
        `  ${dir}/04-d.md:17: check "n": expected a check kind (netns, link, address, route, sysctl, file, rule, policy, reach, listening, shell), found "nets" (did you mean netns?)`,
        `  ${dir}/05-e.md:3: expected a lesson id unique in the course, found "a" again (also in ${dir}/01-a.md)`,
        `  ${dir}/notes.md:1: expected a lesson file named NN-slug.md (like 04-bridge.md), found "notes.md"`,
      ].join('\n'),
    );
  });

  it('says when the folder cannot be read or holds no lessons', async () => {
    await expect(loadCourse(fixture('no-such-folder'))).rejects.toThrow(/cannot read the course folder .*no-such-folder: ENOENT/);
    await expect(loadCourse(fixture('lessons-malformed/..'))).rejects.toBeInstanceOf(AbortError);
  });
});
