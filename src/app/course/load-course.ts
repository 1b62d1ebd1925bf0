// loadCourse: every lesson file in a folder, parsed, numbered, and checked as a course (unique
// ids, `requires` naming an earlier lesson). All problems are reported at once.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { LessonFormatError, parseLesson } from '../../domain/lesson/parse-lesson.js';
import type { Course, Lesson } from '../../domain/lesson/types.js';
import { AbortError } from '../../domain/errors.js';
import { lessonsDir } from '../../world/sandbox/paths.js';

const LESSON_FILE = /^(\d+)-.+\.md$/;

/** A course with malformed lessons: an AbortError (the author must act) that keeps every problem. */
export class CourseFormatError extends AbortError {
  override name = 'CourseFormatError';
  constructor(
    message: string,
    next: string,
    readonly errors: readonly LessonFormatError[],
  ) {
    super(message, next);
  }
}

/** The line of a front-matter key, for cross-lesson messages. */
function lineOfKey(text: string, key: string): number {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.startsWith(`${key}:`));
  return i < 0 ? 1 : i + 1;
}

export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

async function listLessonFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    throw new AbortError(`cannot read the course folder ${dir}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 'Pass a folder of lesson files with --lessons DIR.');
  }
  const md = names.filter((n) => n.endsWith('.md') && n.toLowerCase() !== 'readme.md');
  return md.sort((a, b) => Number(LESSON_FILE.exec(a)?.[1] ?? 1e9) - Number(LESSON_FILE.exec(b)?.[1] ?? 1e9) || a.localeCompare(b));
}

/** Cross-lesson facts: ids unique, `requires` names an earlier lesson. */
export function checkCourse(lessons: readonly Lesson[], texts: ReadonlyMap<Lesson, string>): LessonFormatError[] {
  const errors: LessonFormatError[] = [];
  const seen = new Map<string, Lesson>();
  for (const lesson of lessons) {
    const text = texts.get(lesson) ?? '';
    const first = seen.get(lesson.id);
    if (first) {
      errors.push(new LessonFormatError(lesson.source.file, lineOfKey(text, 'id'), `expected a lesson id unique in the course, found "${lesson.id}" again (also in ${first.source.file})`));
    }
    if (lesson.requires !== undefined && !seen.has(lesson.requires)) {
      const later = lessons.some((l) => l.id === lesson.requires);
      errors.push(
        new LessonFormatError(
          lesson.source.file,
          lineOfKey(text, 'requires'),
          `expected \`requires\` to name an earlier lesson, found "${lesson.requires}"${later ? ' (it comes later in the course)' : ' (no lesson has that id)'}`,
        ),
      );
    }
    if (!first) seen.set(lesson.id, lesson);
  }
  return errors;
}

export async function loadCourse(dir: string = lessonsDir): Promise<Course> {
  const files = await listLessonFiles(dir);
  const errors: LessonFormatError[] = [];
  const lessons: Lesson[] = [];
  const texts = new Map<Lesson, string>();
  for (const name of files) {
    const file = displayPath(join(dir, name));
    if (!LESSON_FILE.test(name)) {
      errors.push(new LessonFormatError(file, 1, `expected a lesson file named NN-slug.md (like 04-bridge.md), found "${name}"`));
      continue;
    }
    const text = await readFile(join(dir, name), 'utf8');
    try {
      const lesson = parseLesson(text, file);
      lessons.push(lesson);
      texts.set(lesson, text);
    } catch (e) {
      if (e instanceof LessonFormatError) errors.push(e);
      else throw e;
    }
  }
  errors.push(...checkCourse(lessons, texts));
  errors.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  if (errors.length > 0) {
    const list = errors.map((e) => `  ${e.message}`).join('\n');
    throw new CourseFormatError(
      `the course in ${displayPath(dir)} has ${errors.length} problem${errors.length === 1 ? '' : 's'}:\n${list}`,
      'Fix the lesson files (the format is in lessons/README.md).',
      errors,
    );
  }
  if (lessons.length === 0) throw new AbortError(`there are no lessons in ${displayPath(dir)}`, 'A lesson is a file named NN-slug.md; see lessons/README.md.');
  lessons.forEach((l, i) => (l.number = i + 1));
  return { dir, lessons };
}

// found by id or number: pure, in the domain (a command that needs no parser imports them there)
export { findLesson, findStep } from '../../domain/lesson/find.js';
