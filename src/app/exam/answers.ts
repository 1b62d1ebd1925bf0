// An exam's answers file, for autograding: bash in sections, each headed `# task N` (its number in
// this exam) or `# task ID` (a bank id such as fix:docker-user-drop), run in that task's sandbox.
import { UsageError } from '../../domain/errors.js';

export interface AnswerSection {
  task: number;
  script: string;
}

export function parseExamAnswers(text: string, file: string, ids: readonly string[]): AnswerSection[] {
  const sections: AnswerSection[] = [];
  let current: { task: number; lines: string[] } | undefined;
  text.split('\n').forEach((line, i) => {
    const head = /^#\s*task\s+(\S+)\s*$/.exec(line);
    if (!head) {
      current?.lines.push(line);
      return;
    }
    const ref = head[1]!;
    const task = /^\d+$/.test(ref) ? Number(ref) : ids.indexOf(ref) + 1;
    if (task < 1 || task > ids.length) throw new UsageError(`${file}:${i + 1}: there is no task "${ref}" in this exam.`, `Its tasks: ${ids.map((id, n) => `${n + 1} ${id}`).join(', ')}.`);
    if (current) sections.push({ task: current.task, script: current.lines.join('\n') });
    current = { task, lines: [] };
  });
  if (current) sections.push({ task: current.task, script: current.lines.join('\n') });
  return sections;
}
