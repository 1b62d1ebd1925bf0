// `netns-tutor check` and `netns-tutor lessons` through the built CLI: inside a sandbox the step's
// checks judge that sandbox; outside, it says it reads this host and runs no probes.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const tiny = 'test/fixtures/lessons-tiny';

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/netns-tutor.js', ...args], { cwd: root, env: { ...process.env, NETNS_TUTOR_SANDBOX: '' } }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('netns-tutor check', () => {
  it('inside a sandbox: ✗ with message and evidence before the step, ✓ and exit 0 after it', async () => {
    const script = [
      `netns-tutor check start after-a-defect --lessons ${root}${tiny}; echo "exit $?"`,
      'ip netns add fox; ip netns add bear; ip -n fox link set lo up',
      `netns-tutor check 1 4 --lessons ${root}${tiny}; echo "exit $?"`,
    ].join('\n');
    const { stdout } = await cli(['shell', '-c', script]);
    expect(stdout).toBe(
      [
        'Lesson 1 · A tiny course · step 4: After a defect',
        '✗ bear is there from the replay',
        '    The replay did not make bear.',
        '    ip netns list: empty',
        "✗ fox's loopback answers",
        '    There is no network namespace fox to send from.',
        '    no namespace fox: /run/netns/fox does not exist',
        'Neither check holds yet.',
        'exit 1',
        'Lesson 1 · A tiny course · step 4: After a defect',
        '✓ bear is there from the replay',
        "✓ fox's loopback answers",
        'Both checks hold: the step is done.',
        'exit 0',
        '',
      ].join('\n'),
    );
  }, 60_000);

  it('outside a sandbox: says it reads this host read-only, and runs no probes', async () => {
    const { code, stdout, stderr } = await cli(['check', 'start', '4', '--lessons', tiny, '--json']);
    const out = JSON.parse(stdout) as { world: string; results: Array<{ name: string; status: string; message?: string }> };
    expect(out.world).toBe('host');
    expect(out.results[1]).toMatchObject({ status: 'error', message: expect.stringMatching(/only inside a netns-tutor sandbox/) });
    expect(code).toBe(1);
    const text = await cli(['check', 'start', '4', '--lessons', tiny]);
    expect(text.stderr).toMatch(/^Not inside a netns-tutor sandbox: reading THIS HOST, read-only/);
    expect(stderr).toBe('');
  }, 60_000);

  it('names the lessons or steps when the reference is wrong', async () => {
    expect((await cli(['check', 'wolf', '1', '--lessons', tiny])).stderr).toBe('error: there is no lesson "wolf" in the course.\n\nLessons: 1 start, 2 next. (netns-tutor lessons lists them with their steps.)\n');
    expect((await cli(['check', 'next', '9', '--lessons', tiny])).stderr).toBe(
      'error: lesson next has no step "9".\n\nIts steps: 1 use-the-setup, 2 flaky-on-purpose, 3 a-command-that-does-not-exist.\n',
    );
  }, 60_000);
});

describe('netns-tutor lessons', () => {
  it('lists lessons and steps with their ids, as text and as JSON', async () => {
    const text = await cli(['lessons', '--lessons', tiny]);
    expect(text.stdout).toContain(' 2  Built on the first  (next, 3 steps)\n');
    expect(text.stdout).toContain('     2. Flaky on purpose  flaky-on-purpose\n');
    expect(text.stdout.trimEnd().split('\n').at(-1)).toBe('2 lessons, 7 steps. Check a step: netns-tutor check LESSON STEP (ids or numbers).');
    const json = JSON.parse((await cli(['lessons', '--json', '--lessons', tiny])).stdout) as { lessons: Array<{ id: string; requires?: string; steps: Array<{ id: string }> }> };
    expect(json.lessons.map((l) => [l.id, l.requires, l.steps.length])).toEqual([
      ['start', undefined, 4],
      ['next', 'start', 3],
    ]);
  }, 60_000);
});
