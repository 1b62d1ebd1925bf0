// The course's self-test, run through the built CLI: the real course must pass whole, and a tiny
// fixture course with defects made on purpose must have each of them reported.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { SelfTestReport } from '../src/app/course/self-test.js';

const root = fileURLToPath(new URL('..', import.meta.url));

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/netns-tutor.js', ...args], { cwd: root, env: { ...process.env, NETNS_TUTOR_SANDBOX: '' }, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('netns-tutor test-lessons', () => {
  it('passes over the real course: every step fails before its solution and holds after it, twice; the host is unchanged', async () => {
    const { code, stdout, stderr } = await cli(['test-lessons', '--json']);
    const report = JSON.parse(stdout) as SelfTestReport;
    const defects = report.steps.filter((s) => s.status !== 'ok').map((s) => `${s.lessonId}/${s.stepId}: ${s.reason}`);
    expect(defects).toEqual([]);
    expect(report.host.unchanged).toBe(true);
    expect(new Set(report.steps.map((s) => s.lessonId)).size).toBeGreaterThanOrEqual(9);
    expect(report.steps.length).toBeGreaterThanOrEqual(40);
    expect(stderr).toBe(`${report.passed} passed, 0 failed\n`);
    expect(code).toBe(0);
  }, 240_000);

  it('reports every defect of a fixture course made broken on purpose, and exits 1', async () => {
    const { code, stdout } = await cli(['test-lessons', '--lessons', 'test/fixtures/lessons-tiny']);
    const lines = stdout.trimEnd().split('\n');
    const line = (step: string) => lines.find((l) => l.includes(` ${step}`) && /^(ok|defect)/.test(l)) ?? `(no line for ${step})`;
    expect(line('start/make-fox')).toMatch(/^ok /);
    expect(line('start/already-done')).toMatch(/^defect .*: already passes before its solution/);
    expect(line('start/wrong-solution')).toMatch(/^defect .*: fails after its solution: wolf exists: There is no namespace wolf\. \[ip netns list: bear, fox\]/);
    // the step after a defect runs in a fresh sandbox prepared by replay, and passes
    expect(line('start/after-a-defect')).toMatch(/^ok /);
    expect(line('next/use-the-setup')).toMatch(/^ok /);
    expect(line('next/flaky-on-purpose')).toMatch(/^defect .*: flaky: passed once and failed once after its solution/);
    expect(line('next/a-command-that-does-not-exist')).toMatch(/^defect .*: its solution could not run: .*`iptabels -t nat -A POSTROUTING -j MASQUERADE` exited 127/);
    expect(stdout).toContain('The host is unchanged.');
    expect(lines.at(-1)).toBe('3 passed, 4 failed');
    expect(code).toBe(1);
  }, 120_000);

  it('--only tests one lesson, and names the lessons when it does not exist', async () => {
    const one = await cli(['test-lessons', '--lessons', 'test/fixtures/lessons-tiny', '--only', 'next', '--json']);
    const report = JSON.parse(one.stdout) as SelfTestReport;
    expect([...new Set(report.steps.map((s) => s.lessonId))]).toEqual(['next']);
    const missing = await cli(['test-lessons', '--lessons', 'test/fixtures/lessons-tiny', '--only', 'wolf']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('error: there is no lesson "wolf" in the course.\n\nLessons: 1 start, 2 next.\n');
  }, 120_000);
});
