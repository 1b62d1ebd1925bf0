// Turns the first zod issue over a YAML mapping into "expected ..., found ..." at the right line.
import type { z } from 'zod';
import { describeValue, LessonFormatError } from './lesson-format-error.js';
import { suggestWord } from './suggest.js';
import type { YamlPath, YamlSource } from './yaml-source.js';

function valueAt(root: unknown, path: YamlPath): unknown {
  let v: unknown = root;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[k];
  }
  return v;
}

function fieldName(path: YamlPath): string {
  return path.map((k) => (typeof k === 'number' ? `[${k}]` : k)).join('.').replace(/\.\[/g, '[');
}

/** The error for a failed safeParse of the value at `base` in `source`. `context` prefixes the
 *  sentence (e.g. 'check "the bridge exists"'); `fields` lists the allowed fields for unknown ones. */
export function describeIssue(
  error: z.ZodError,
  source: YamlSource,
  base: YamlPath,
  file: string,
  context: string,
  fields: readonly string[],
): LessonFormatError {
  const issue = error.issues[0]!;
  const path = issue.path.filter((k): k is string | number => typeof k !== 'symbol');
  const full = [...base, ...path];
  const value = valueAt(source.value, full);
  const where = context ? `${context}: ` : '';
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const line = source.lineOf([...full, key]);
    const allowed = path.length === 0 ? fields : [];
    const expected = allowed.length ? `one of the fields ${allowed.join(', ')}` : 'only known fields';
    const guess = suggestWord(key, allowed);
    return new LessonFormatError(file, line, `${where}expected ${expected}, found "${key}"${guess ? ` (did you mean ${guess}?)` : ''}`);
  }
  const name = fieldName(path);
  const line = source.lineOf(full);
  if (value === undefined) {
    return new LessonFormatError(file, line, `${where}expected a field "${name}" (${issue.message}), found none`);
  }
  return new LessonFormatError(file, line, `${where}expected "${name}" to be ${issue.message}, found ${describeValue(value)}`);
}
