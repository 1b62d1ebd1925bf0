// `netns-tutor lessons [--json] [--lessons DIR]`: the course, its lessons and steps with their ids.
import { resolve } from 'node:path';
import { loadCourse } from '../course/load-course.js';
import { choosePaint, renderCourseList } from '../course/render-text.js';

export async function runLessons(opts: { json?: boolean; lessons?: string }): Promise<number> {
  const course = await loadCourse(opts.lessons ? resolve(opts.lessons) : undefined);
  if (opts.json) {
    const lessons = course.lessons.map((l) => ({
      id: l.id,
      number: l.number,
      title: l.title,
      summary: l.summary,
      ...(l.requires ? { requires: l.requires } : {}),
      file: l.source.file,
      steps: l.steps.map((s) => ({ id: s.id, number: s.number, title: s.title, checks: s.checks.map((c) => c.name) })),
    }));
    process.stdout.write(`${JSON.stringify({ dir: course.dir, lessons }, null, 2)}\n`);
    return 0;
  }
  process.stdout.write(`${renderCourseList(course, choosePaint(!!process.stdout.isTTY, process.env))}\n`);
  return 0;
}
