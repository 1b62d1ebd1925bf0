// The exam in a terminal: the task list with the time left, free movement between tasks (each a
// shell in its own sandbox; `exit` comes back to the list), no hints and no checks. When time runs
// out, the open shell is closed and everything is graded at that moment.
import { createInterface } from 'node:readline/promises';
import type { ExamTask } from '../../domain/exam/bank.js';
import type { Sandbox } from '../../world/sandbox/sandbox.js';
import { runWithTerminal } from '../../world/terminal/run-with-terminal.js';
import { TUTOR_BASHRC, TUTOR_DIR } from '../../domain/sandbox-layout.js';

const EXAM_RC = `${TUTOR_DIR}/exam-rc`;

export type ExamEnd = 'finished' | 'time ran out';

const clock = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

function taskList(tasks: readonly ExamTask[], visited: ReadonlySet<number>, leftMs: number): string {
  const max = tasks.reduce((s, t) => s + t.weight, 0);
  return [
    '',
    `── Exam: ${tasks.length} tasks, ${max} points · ${clock(leftMs)} left ──`,
    ...tasks.map((t, i) => `${String(i + 1).padStart(3)}. [${String(t.weight).padStart(2)} pts] ${t.title}${visited.has(i) ? '  (visited)' : ''}`),
    '',
    'Type a task number to work on it (exit its shell to come back), or `finish` to hand in.',
  ].join('\n');
}

function shellRc(task: number, endsAt: number): string {
  const end = Math.ceil(endsAt / 1000);
  return `. ${TUTOR_BASHRC}
__exam_prompt() { local s=$(( ${end} - $(date +%s) )); [ $s -lt 0 ] && s=0; PS1="\\[\\e[1;35m\\](exam task ${task} · $((s/60))m left)\\[\\e[0m\\] \\u@\\h:\\w\\$ "; }
PROMPT_COMMAND=__exam_prompt
# no hints, no solutions, no live checks during an exam (a mock exam: this is a rule, not a wall)
netns-tutor() { echo 'netns-tutor is not available during the exam: the grading happens when you finish.' >&2; return 1; }
`;
}

export async function playExam(tasks: readonly ExamTask[], sandboxes: readonly Sandbox[], minutes: number): Promise<ExamEnd> {
  const endsAt = Date.now() + minutes * 60_000;
  const visited = new Set<number>();
  let timedOut = false;
  const ask = new AbortController();
  const timer = setTimeout(() => {
    timedOut = true;
    process.stderr.write('\n\nTime is up: your shells are closed and the exam is graded now.\n');
    ask.abort();
  }, endsAt - Date.now());
  try {
    for (;;) {
      process.stdout.write(`${taskList(tasks, visited, endsAt - Date.now())}\n`);
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      let answer: string;
      try {
        answer = (await rl.question('exam> ', { signal: ask.signal })).trim();
      } catch {
        return 'time ran out';
      } finally {
        rl.close();
      }
      if (timedOut) return 'time ran out';
      if (answer === 'finish') return 'finished';
      const n = Number(answer);
      if (!Number.isInteger(n) || n < 1 || n > tasks.length) {
        process.stdout.write(`"${answer}" is not a task number (1-${tasks.length}) nor finish.\n`);
        continue;
      }
      const task = tasks[n - 1]!;
      const sandbox = sandboxes[n - 1]!;
      visited.add(n - 1);
      await sandbox.run(`cat >${EXAM_RC} <<'RC'\n${shellRc(n, endsAt)}RC`);
      process.stdout.write(`\nTask ${n} (${task.weight} points): ${task.title}\n\n${task.statement}\n\nThis task's sandbox is kept as you leave it. Type exit to go back to the list.\n\n`);
      // a shell with a pty of its own (world/terminal): nothing in it can reach our terminal, and
      // the clock (ask) ends it where it is
      await runWithTerminal([...sandbox.enterPrefix, 'bash', '--rcfile', EXAM_RC, '-i'], sandbox.env, ask.signal);
      if (timedOut) return 'time ran out';
    }
  } finally {
    clearTimeout(timer);
  }
}
