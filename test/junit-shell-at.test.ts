// The autograder's recipe for one step (issue 13): `shell --at LESSON/STEP -c 'bash student.sh;
// netns-tutor check LESSON STEP --junit'`, run by nobody on the built CLI: a student's script
// that does nothing fails the step, the step's own solution passes it; a step that does not
// exist is a usage error (exit 2).
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findLesson, loadCourse } from '../src/app/course/load-course.js';
import { prepareUnprivilegedCli, runCli } from './helpers/unprivileged.js';
import { validateJunit } from './junit-xml.js';

// not under /tmp: the sandbox has a private /tmp, so a student's script must live elsewhere (a
// checkout, as in CI), which the sandbox sees read-only
const dir = mkdtempSync('/var/tmp/netns-tutor-shell-at-');
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const lesson = findLesson(await loadCourse(), 'routing')!;
const step = lesson.steps[0]!;

describe('shell --at', () => {
  it('grades a student script in the state the step begins with', async () => {
    const cli = prepareUnprivilegedCli();
    try {
      const nothing = join(dir, 'nothing.sh');
      const solution = join(dir, 'solution.sh');
      writeFileSync(nothing, 'true\n', { mode: 0o644 });
      writeFileSync(solution, `${step.solution}\n`, { mode: 0o644 });
      const grade = (file: string) => runCli(cli, ['shell', '--at', `routing/${step.id}`, '-c', `bash ${file} >/dev/null 2>&1; netns-tutor check routing ${step.number} --junit`]);
      const [bad, good, wrong] = await Promise.all([grade(nothing), grade(solution), runCli(cli, ['shell', '--at', 'routing/99', '-c', 'true'])]);
      expect(bad.code, bad.stderr).toBe(1);
      expect(validateJunit(bad.stdout)[0]!.children[0]!.tag).toBe('failure');
      expect(good.code, good.stderr).toBe(0);
      expect(validateJunit(good.stdout)[0]!.children).toEqual([]);
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain('lesson routing has no step "99"');
    } finally {
      cli.dispose();
    }
  });
});
