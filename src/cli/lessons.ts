// `netns-tutor lessons [--json] [--lessons DIR] [--progress FILE]`: the course, its lessons and
// steps with their ids, and the learner's progress (passed ✓, skipped »).
import { resolve } from 'node:path';
import { loadCourseCached } from '../app/course/course-cache.js';
import { lessonsDir } from '../world/sandbox/paths.js';
import { choosePaint, renderCourseList } from '../app/course/render-text.js';
import { openProgress } from '../app/progress/progress-store.js';
import type { StepRecord } from '../app/progress/progress-data.js';

export async function runLessons(opts: { json?: boolean; lessons?: string; progress?: string }): Promise<number> {
  const course = await loadCourseCached(opts.lessons ? resolve(opts.lessons) : lessonsDir);
  // read-only: listing the course creates no directory and moves no file
  const { store, notices } = openProgress({ course: course.dir, readOnly: true, ...(opts.progress ? { file: opts.progress } : {}) });
  for (const n of notices) process.stderr.write(`${n.text}\n`);
  const progress = store.read();
  const recordOf = (lessonId: string, stepId: string): StepRecord | undefined => progress.steps[`${lessonId}/${stepId}`];
  if (opts.json) {
    const lessons = course.lessons.map((l) => ({
      id: l.id,
      number: l.number,
      title: l.title,
      summary: l.summary,
      ...(l.requires ? { requires: l.requires } : {}),
      file: l.source.file,
      steps: l.steps.map((s) => {
        const record = recordOf(l.id, s.id);
        return { id: s.id, number: s.number, title: s.title, checks: s.checks.map((c) => c.name), ...(record ? { progress: { outcome: record.outcome, at: record.at } } : {}) };
      }),
    }));
    process.stdout.write(`${JSON.stringify({ dir: course.dir, progressFile: store.path, ...(progress.position ? { position: progress.position } : {}), lessons }, null, 2)}\n`);
    return 0;
  }
  const list = renderCourseList(course, choosePaint(!!process.stdout.isTTY, process.env), (l, s) => recordOf(l.id, s.id)?.outcome);
  const at = progress.position;
  const where = at ? `\nYou are at ${at.lessonId} / ${at.stepId}: run netns-tutor to go on.` : '';
  process.stdout.write(`${list}${where}\n`);
  return 0;
}
