// Finding a lesson or a step by what a learner types: its id or its number ("4").
import type { Course, Lesson, Step } from './types.js';

/** A lesson by id or by its number in the course ("4"). */
export function findLesson(course: Course, ref: string): Lesson | undefined {
  return course.lessons.find((l) => l.id === ref) ?? (/^\d+$/.test(ref) ? course.lessons[Number(ref) - 1] : undefined);
}

/** A step by id or by its number in the lesson ("2"). */
export function findStep(lesson: Lesson, ref: string): Step | undefined {
  return lesson.steps.find((s) => s.id === ref) ?? (/^\d+$/.test(ref) ? lesson.steps[Number(ref) - 1] : undefined);
}
