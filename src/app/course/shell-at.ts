// `netns-tutor shell --at LESSON[/STEP]`: a fresh sandbox in the state that step begins with (the
// course's earlier solutions replayed, the lesson's files placed), so a student's script can be
// checked against a step without a tutor: `shell --at 6/2 -c 'bash student.sh; netns-tutor check 6 2 --junit'`.
import { resolve } from 'node:path';
import { findLesson, findStep } from '../../domain/lesson/find.js';
import { loadCourseCached } from './course-cache.js';
import { lessonsDir as builtInCourse } from '../../world/sandbox/paths.js';
import { createPreparedSandbox } from './prepared-sandbox.js';
import { UsageError } from '../../domain/errors.js';
import type { Sandbox } from '../../world/sandbox/sandbox.js';

/** LESSON alone is the lesson's first step; STEP is an id or a number, as `check` takes them. */
export async function createSandboxAt(at: string, lessonsDir?: string): Promise<Sandbox> {
  const course = await loadCourseCached(lessonsDir ? resolve(lessonsDir) : builtInCourse);
  const [lessonRef, stepRef] = at.split('/', 2) as [string, string | undefined];
  const lesson = findLesson(course, lessonRef);
  if (!lesson) throw new UsageError(`--at ${at}: there is no lesson "${lessonRef}" in the course.`, `Lessons: ${course.lessons.map((l) => `${l.number} ${l.id}`).join(', ')}.`);
  const step = stepRef === undefined || stepRef === '' ? lesson.steps[0] : findStep(lesson, stepRef);
  if (!step) throw new UsageError(`--at ${at}: lesson ${lesson.id} has no step "${stepRef}".`, `Its steps: ${lesson.steps.map((s) => `${s.number} ${s.id}`).join(', ')}.`);
  return createPreparedSandbox(course, lesson.id, step.number - 1, { sandbox: { files: lesson.files } });
}
