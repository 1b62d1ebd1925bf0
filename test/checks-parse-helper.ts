// Builds Check models from YAML through the real parser, so check tests read like lessons.
import { parseLesson } from '../src/domain/lesson/parse-lesson.js';
import type { Check } from '../src/domain/lesson/types.js';

export function lessonWith(checksYaml: string, extraStep = ''): string {
  return ['---', 'format: 1', 'id: t', 'title: T', 'summary: S', '---', '', '## Step one', '', '```sh', 'true', '```', '', '```yaml step', 'checks:', checksYaml.replace(/^\n/, '').trimEnd(), '```', extraStep].join('\n');
}

export function checksOf(checksYaml: string): Check[] {
  return parseLesson(lessonWith(checksYaml), 't.md').steps[0]!.checks;
}

export function checkOf(checkYaml: string): Check {
  return checksOf(checkYaml)[0]!;
}
