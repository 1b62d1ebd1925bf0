// Exams in real sandboxes: sampled bank tasks fail at their start and pass after their reference
// solution (the whole bank: `netns-tutor exam --self-test`); an exam answered by a script gets
// the expected score (JUnit, as nobody); a learner in a real terminal (tmux) moves between tasks,
// fixes one (with no tutor to ask) and hands in, and the report shows the points, the total and the pass mark.
import { chmodSync, copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DRILL_BASES } from '../src/cli/drill.js';
import { examBank } from '../src/domain/exam/bank.js';
import { loadCourse } from '../src/app/course/load-course.js';
import { selfTestTask } from '../src/app/exam/self-test-bank.js';
import { openTutorTerminal, type TutorTerminal } from './fixtures/tmux-tutor.js';
import { prepareUnprivilegedCli, runCli } from './helpers/unprivileged.js';
import { parseXml, validateJunit } from './junit-xml.js';

const course = await loadCourse();
const bank = examBank(course, DRILL_BASES);
// The seeded exams below were drawn from the first nine lessons: a course that grows would change
// which tasks seed 7 draws, so those exams run on a copy of lessons 01-09 (readable by nobody).
const nineLessons = mkdtempSync(join(tmpdir(), 'netns-tutor-exam-course-'));
chmodSync(nineLessons, 0o755);
const lessonsDir = new URL('../lessons/', import.meta.url).pathname;
for (const f of readdirSync(lessonsDir).filter((n) => /^0[1-9]-.*\.md$/.test(n))) copyFileSync(join(lessonsDir, f), join(nineLessons, f));
const SAMPLE = ['build:veth-pair/switch-on-and-ping', 'build:pod-network/a-pod-on-node1', 'fix:nft-netdev-ingress-drop', 'fix:kube-svc-jump-missing'];

let term: TutorTerminal | undefined;
afterEach(async () => {
  await term?.close();
  term = undefined;
});

describe.concurrent('exams in real sandboxes', () => {
  it.each(SAMPLE)('%s fails at its start and passes after its reference', async (id) => {
    const task = bank.find((t) => t.id === id);
    expect(task, id).toBeDefined();
    const r = await selfTestTask(task!, course);
    expect(r.status, r.detail).toBe('ok');
  });

  it('an exam answered by a script scores the tasks it solved, and fails the pass mark', async () => {
    const cli = prepareUnprivilegedCli();
    const dir = mkdtempSync(join(tmpdir(), 'netns-tutor-exam-answers-'));
    chmodSync(dir, 0o755);
    try {
      const answers = join(dir, 'answers.sh');
      writeFileSync(answers, ['# task fix:docker-user-drop', 'iptables -D DOCKER-USER -p tcp --dport 80 -j DROP', '# task 3', 'echo this task is left unsolved', '# task build:namespaces/a-second-namespace-and-two-ways-in', 'ip netns add bear', ''].join('\n'), { mode: 0o644 });
      const r = await runCli(cli, ['exam', '--lessons', nineLessons, '--seed', '7', '--tasks', '6', '--answers', answers, '--junit']);
      expect(r.code, r.stderr).toBe(1);
      const cases = validateJunit(r.stdout);
      expect(cases.filter((c) => c.children.length === 0).map((c) => c.attrs.name)).toEqual(['fix:docker-user-drop (8 points)', 'build:namespaces/a-second-namespace-and-two-ways-in (4 points)']);
      const props = Object.fromEntries(parseXml(r.stdout).children[0]!.children[0]!.children.map((p) => [p.attrs.name, p.attrs.value]));
      expect(props).toMatchObject({ points: '12', max: '32', percent: '37.5', 'pass mark': '66', passed: 'false' });
    } finally {
      cli.dispose();
    }
  });
});

it('a learner in a terminal: free movement between tasks, one fixed, handed in, graded', async () => {
  prepareUnprivilegedCli().dispose(); // builds dist/ if it is missing
  term = openTutorTerminal();
  term.start(['exam', '--lessons', nineLessons, '--seed', '7', '--tasks', '2', '--minutes', '10']);
  await term.waitFor(/exam>\s*$/m);
  term.line('2');
  await term.waitFor(/\(exam task 2 · \d+m left\)/);
  term.line('netns-tutor diagnose host 10.0.0.1');
  await term.waitFor(/netns-tutor is not available during the exam/);
  term.line('exit');
  await term.waitFor(/2\. \[ 4 pts\].*\(visited\)[\s\S]*exam>\s*$/m);
  term.line('1');
  await term.waitFor(/\(exam task 1 · \d+m left\)/);
  term.line('iptables -D DOCKER-USER -p tcp --dport 80 -j DROP; exit');
  await term.waitFor(/exam>\s*$/m);
  term.line('finish');
  const screen = await term.waitFor(/\[tutor exited \d+\]/);
  expect(screen).toMatch(/1\. Repair: the internet reaching .* 8\/8 +every path as required/);
  expect(screen).toMatch(/2\. A second namespace, and two ways in +0\/4 +not true: bear exists/);
  expect(screen).toContain('Total: 8/12 = 66.7%   pass mark 66%   PASSED');
  expect(screen).toContain('[tutor exited 0]');
});
