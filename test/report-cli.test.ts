// `netns-tutor report` on the built CLI: a progress file of its own, the tiny course's steps
// passed, skipped and not done, as text, JSON and JUnit; exit 0 only when every step passed.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { validateJunit } from './junit-xml.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const tiny = `${root}test/fixtures/lessons-tiny`;
const dir = mkdtempSync(join(tmpdir(), 'netns-tutor-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/netns-tutor.js', ...args], { cwd: root }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

describe('netns-tutor report', () => {
  const file = join(dir, 'progress.json');
  const at = '2026-12-05T10:00:00.000Z';
  writeFileSync(file, JSON.stringify({ version: 1, steps: { 'start/make-fox': { lessonId: 'start', stepId: 'make-fox', outcome: 'passed', at }, 'start/already-done': { lessonId: 'start', stepId: 'already-done', outcome: 'skipped', at } } }));
  const args = ['report', '--lessons', tiny, '--progress', file];

  it('text: per lesson, and the totals; exit 1 while steps remain', async () => {
    const r = await cli(args);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/1\. A tiny course +1\/\d+ steps \(1 skipped\)/);
    expect(r.stdout).toMatch(/1 of \d+ steps passed, 1 skipped\./);
  });

  it('JSON and JUnit agree: passed, skipped, not done yet', async () => {
    const [j, x] = await Promise.all([cli([...args, '--json']), cli([...args, '--junit'])]);
    const report = JSON.parse(j.stdout) as { passed: number; skipped: number; total: number; lessons: Array<{ steps: Array<{ id: string; progress: string }> }> };
    expect(report.lessons[0]!.steps.slice(0, 2).map((s) => s.progress)).toEqual(['passed', 'skipped']);
    const cases = validateJunit(x.stdout);
    expect(cases).toHaveLength(report.total);
    expect(cases.filter((c) => c.children.length === 0).map((c) => c.attrs.name)).toEqual(['start/make-fox']);
    expect(cases.filter((c) => c.children[0]?.tag === 'skipped')).toHaveLength(1);
    expect(cases.filter((c) => c.children[0]?.tag === 'failure').every((c) => c.children[0]!.attrs.message === 'not done yet')).toBe(true);
  });
});
