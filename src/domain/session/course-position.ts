// Where the learner is in the course: lookups, the next step, and resolving a saved position
// against the course as it is now. Pure.
import type { Course, Lesson, Step } from '../lesson/types.js';
import type { CompletedSteps, Position } from './types.js';

export function lessonAt(course: Course, position: Position): Lesson {
  const lesson = course.lessons[position.lessonIndex];
  if (!lesson) throw new Error(`no lesson at index ${position.lessonIndex}`);
  return lesson;
}

export function stepAt(course: Course, position: Position): Step {
  const step = lessonAt(course, position).steps[position.stepIndex];
  if (!step) throw new Error(`no step at index ${position.stepIndex} of lesson ${position.lessonIndex}`);
  return step;
}

export function stepKey(lessonId: string, stepId: string): string {
  return `${lessonId}/${stepId}`;
}

/** The step after this one: the next in the lesson, else the first of the next lesson. */
export function nextPosition(course: Course, position: Position): Position | undefined {
  const lesson = lessonAt(course, position);
  if (position.stepIndex + 1 < lesson.steps.length) return { ...position, stepIndex: position.stepIndex + 1 };
  for (let l = position.lessonIndex + 1; l < course.lessons.length; l++) {
    if ((course.lessons[l]?.steps.length ?? 0) > 0) return { lessonIndex: l, stepIndex: 0 };
  }
  return undefined;
}

export interface SavedPosition {
  lessonId: string;
  stepId: string;
}

/** The position to resume at, and a note when the saved one no longer fits the course. */
export function resolvePosition(course: Course, saved: SavedPosition | undefined): { position: Position; note?: string } {
  const first = Math.max(0, course.lessons.findIndex((l) => l.steps.length > 0));
  const start = { lessonIndex: first, stepIndex: 0 };
  if (!saved) return { position: start };
  const lessonIndex = course.lessons.findIndex((l) => l.id === saved.lessonId);
  const lesson = course.lessons[lessonIndex];
  if (!lesson || lesson.steps.length === 0) {
    return { position: start, note: `Your saved place (lesson "${saved.lessonId}") is not in this course, so we start at the beginning.` };
  }
  const stepIndex = lesson.steps.findIndex((s) => s.id === saved.stepId);
  if (stepIndex < 0) {
    return { position: { lessonIndex, stepIndex: 0 }, note: `The step you were on in "${lesson.title}" has changed, so we start that lesson from its first step.` };
  }
  return { position: { lessonIndex, stepIndex } };
}

export function countSteps(course: Course): number {
  return course.lessons.reduce((n, l) => n + l.steps.length, 0);
}

export function countCompleted(course: Course, completed: CompletedSteps): number {
  let n = 0;
  for (const l of course.lessons) for (const s of l.steps) if (completed[stepKey(l.id, s.id)]) n++;
  return n;
}

export function lessonCompletion(lesson: Lesson, completed: CompletedSteps): { done: number; total: number } {
  return { done: lesson.steps.filter((s) => completed[stepKey(lesson.id, s.id)]).length, total: lesson.steps.length };
}
