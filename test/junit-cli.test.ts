// `--junit` on `check` and `test-lessons` through the built CLI, in real sandboxes: the XML holds
// the JUnit structure, a step that does not hold is a <failure> with its checks, and the exit code
// stays 0 pass / 1 fail.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseXml, validateJunit } from './junit-xml.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const tiny = `${root}test/fixtures/lessons-tiny`;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/netns-tutor.js', ...args], { cwd: root, env: { ...process.env, NETNS_TUTOR_SANDBOX: '' } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('--junit', () => {
  it('check: a failure before the step is done, a pass after, one testcase each', async () => {
    const script = [
      `netns-tutor check start make-fox --junit --lessons ${tiny} >/tmp/before.xml; echo "exit $?"`,
      'ip netns add fox; echo placed by the front matter >/root/notes.txt',
      `netns-tutor check start make-fox --junit --lessons ${tiny} >/tmp/after.xml; echo "exit $?"`,
      'cat /tmp/before.xml; echo ===; cat /tmp/after.xml',
    ].join('\n');
    const r = await cli(['shell', '-c', script]);
    const [codes, after] = r.stdout.split('\n===\n');
    expect(codes!.match(/^exit \d$/gm)).toEqual(['exit 1', 'exit 0']);
    const before = codes!.slice(codes!.indexOf('<?xml'));
    const failed = validateJunit(before);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.attrs).toMatchObject({ name: 'start/make-fox', classname: 'start' });
    expect(failed[0]!.children[0]!.tag).toBe('failure');
    expect(failed[0]!.children[0]!.text).toContain('fox exists');
    const passed = validateJunit(after!);
    expect(passed[0]!.children).toEqual([]);
  });

  it('test-lessons: one testcase a step, the course\'s deliberate defects as failures, exit 1', async () => {
    const r = await cli(['test-lessons', '--junit', '--lessons', tiny]);
    expect(r.code).toBe(1);
    const cases = validateJunit(r.stdout);
    const failed = cases.filter((c) => c.children[0]?.tag === 'failure').map((c) => c.attrs.name);
    expect(cases.length).toBeGreaterThan(failed.length);
    expect(failed).toContain('start/already-done');
    expect(parseXml(r.stdout).attrs.failures).toBe(String(failed.length));
  });
});
