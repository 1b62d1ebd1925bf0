// parseLesson: one lesson file (format v1, lessons/README.md) to the Lesson model, or a
// LessonFormatError saying file:line, what was expected and what was found. Pure.
import { posix } from 'node:path';
import { z } from 'zod';
import { CHECK_KINDS, checkSchemas, toCheck } from './check-schema.js';
import { describeIssue } from './describe-issue.js';
import { describeValue, LessonFormatError } from './lesson-format-error.js';
import { scanLessonMarkdown, sectionMarkdown, type FencedBlock, type ScannedSection } from './scan-markdown.js';
import { ID_PATTERN, slugifyHeading } from './slug.js';
import { suggestWord } from './suggest.js';
import type { Check, CheckKind, Lesson, Step } from './types.js';
import { parseYamlAt, type YamlSource } from './yaml-source.js';

export { LessonFormatError } from './lesson-format-error.js';

const id = z.string({ error: 'an id of lower-case letters, digits and dashes' }).regex(ID_PATTERN, {
  error: 'an id of lower-case letters, digits and dashes, like veth-pair',
});

const frontMatterSchema = z.strictObject({
  format: z.literal(1, { error: 'format version 1' }),
  id,
  title: z.string({ error: 'the lesson title' }).min(1, { error: 'the lesson title' }),
  summary: z.string({ error: 'a one-sentence summary' }).min(1, { error: 'a one-sentence summary' }),
  requires: id.optional(),
  setup: z.string({ error: 'shell commands (use `setup: |` and indent them)' }).optional(),
  files: z
    .record(
      // the paths are checked by confinedFiles, after normalisation
      z.string(),
      z.string({ error: 'the file content (use `PATH: |` and indent it)' }),
      { error: 'a mapping from a path under /etc or /root to its content' },
    )
    .optional(),
});

const stepBlockSchema = z.strictObject({
  checks: z.array(z.unknown(), { error: 'a list of checks' }).min(1, { error: 'a list of at least one check' }),
  hints: z.array(z.string({ error: 'a hint sentence' }), { error: 'a list of hint sentences' }).optional(),
});

function parseCheck(raw: unknown, source: YamlSource, index: number, file: string): Check {
  const path = ['checks', index];
  const line = source.lineOf(path);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new LessonFormatError(file, line, `expected a check (a mapping with a kind such as link: or rule:), found ${describeValue(raw)}`);
  }
  const label = typeof (raw as { name?: unknown }).name === 'string' ? `check "${(raw as { name: string }).name}"` : `check ${index + 1}`;
  const present = CHECK_KINDS.filter((k) => k in raw);
  // a kind's name may be another kind's field (listening: 80 with address: ...)
  const kinds = present.filter((k) => !present.some((o) => o !== k && k in checkSchemas[o].shape));
  if (kinds.length === 0) {
    const keys = Object.keys(raw);
    const misspelt = keys.map((k) => ({ k, guess: suggestWord(k, CHECK_KINDS) })).find((m) => m.guess !== undefined);
    if (misspelt) {
      throw new LessonFormatError(file, source.lineOf([...path, misspelt.k]), `${label}: expected a check kind (${CHECK_KINDS.join(', ')}), found "${misspelt.k}" (did you mean ${misspelt.guess}?)`);
    }
    const found = keys.length ? `only the fields ${keys.join(', ')}` : 'no fields';
    throw new LessonFormatError(file, line, `${label}: expected a check kind (${CHECK_KINDS.join(', ')}), found ${found}`);
  }
  if (kinds.length > 1) {
    throw new LessonFormatError(file, line, `${label}: expected one check kind, found ${kinds.join(' and ')}`);
  }
  const kind = kinds[0] as CheckKind;
  const schema = checkSchemas[kind];
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw describeIssue(parsed.error, source, path, file, `${label} (${kind})`, Object.keys(schema.shape));
  }
  const check = toCheck(kind, parsed.data, line);
  if (typeof check === 'string') throw new LessonFormatError(file, line, `${label}: ${check}`);
  return check;
}

function classifyBlocks(section: ScannedSection, file: string) {
  const stepBlocks: FencedBlock[] = [];
  const shown: FencedBlock[] = [];
  const solutions: FencedBlock[] = [];
  for (const block of section.blocks) {
    const [lang, role, extra] = block.info;
    if (lang === 'yaml' && role === 'step') stepBlocks.push(block);
    if (lang !== 'sh') continue;
    if (extra !== undefined || (role !== undefined && role !== 'solution' && role !== 'example')) {
      throw new LessonFormatError(file, block.line, `expected \`sh\`, \`sh solution\` or \`sh example\` after the fence, found \`${block.info.join(' ')}\``);
    }
    if (role === 'solution') solutions.push(block);
    else if (role === undefined) shown.push(block);
  }
  return { stepBlocks, shown, solutions };
}

function parseStep(section: ScannedSection, number: number, file: string): Step {
  const stepId = slugifyHeading(section.title);
  if (!stepId) {
    throw new LessonFormatError(file, section.line, `expected a step heading with letters or digits (its id), found "${section.title}"`);
  }
  const { stepBlocks, shown, solutions } = classifyBlocks(section, file);
  const [block, second] = stepBlocks;
  if (!block) {
    throw new LessonFormatError(file, section.line, `step "${section.title}": expected one \`\`\`yaml step block (its checks), found none`);
  }
  if (second) {
    throw new LessonFormatError(file, second.line, `step "${section.title}": expected one \`\`\`yaml step block, found a second one (the first is on line ${block.line})`);
  }
  const source = parseYamlAt(block.content, file, block.line + 1, 'the step block');
  if (source.value === null || typeof source.value !== 'object' || Array.isArray(source.value)) {
    throw new LessonFormatError(file, block.line + 1, `expected the step block to be a mapping with checks: (and hints:), found ${describeValue(source.value)}`);
  }
  const parsed = stepBlockSchema.safeParse(source.value);
  if (!parsed.success) throw describeIssue(parsed.error, source, [], file, `step "${section.title}"`, ['checks', 'hints']);
  const checks = parsed.data.checks.map((raw, i) => parseCheck(raw, source, i, file));
  const commands = solutions.length > 0 ? solutions : shown;
  const solution = commands.map((b) => b.content).join('\n').trim();
  if (!solution) {
    throw new LessonFormatError(
      file,
      section.line,
      `step "${section.title}": expected an \`\`\`sh block or an \`\`\`sh solution block (the commands that complete the step), found none`,
    );
  }
  return {
    id: stepId,
    title: section.title,
    number,
    body: sectionMarkdown(section, [block, ...solutions]),
    checks,
    hints: parsed.data.hints ?? [],
    solution,
    line: section.line,
  };
}

function parseFrontMatter(text: string, line: number, file: string) {
  const source = parseYamlAt(text, file, line, 'the front matter');
  if (source.value === null || typeof source.value !== 'object' || Array.isArray(source.value)) {
    throw new LessonFormatError(file, line, `expected the front matter to be a mapping (format:, id:, title:, summary:), found ${describeValue(source.value)}`);
  }
  const parsed = frontMatterSchema.safeParse(source.value);
  if (!parsed.success) throw describeIssue(parsed.error, source, [], file, 'front matter', Object.keys(frontMatterSchema.shape));
  return { ...parsed.data, files: confinedFiles(parsed.data.files ?? {}, source, file) };
}

/** `files:` with every path normalised and confined to /etc and /root: no `..`, nothing relative,
 *  no two keys naming the same file (`/etc/x` and `/etc//x`). */
function confinedFiles(files: Record<string, string>, source: YamlSource, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const firstKey = new Map<string, string>();
  for (const [key, content] of Object.entries(files)) {
    const line = source.lineOf(['files', key]);
    if (key.split('/').some((part) => part === '..' || part === '.')) {
      throw new LessonFormatError(file, line, `files: expected a plain path under /etc/ or /root/, found "${key}" (with ${key.includes('..') ? '".."' : '"."'})`);
    }
    const path = posix.normalize(key);
    if (!/^\/(etc|root)\/[^/]/.test(path)) throw new LessonFormatError(file, line, `files: expected a path under /etc/ or /root/, found "${key}"`);
    const earlier = firstKey.get(path);
    if (earlier !== undefined) throw new LessonFormatError(file, line, `files: expected each file once, found ${path} again (as "${key}"; first as "${earlier}")`);
    firstKey.set(path, key);
    out[path] = content;
  }
  return out;
}

export function parseLesson(text: string, file: string): Lesson {
  const scanned = scanLessonMarkdown(text, file);
  const front = parseFrontMatter(scanned.frontMatter.text, scanned.frontMatter.line, file);
  const stray = scanned.intro.blocks.find((b) => b.info[0] === 'yaml' && b.info[1] === 'step');
  if (stray) {
    throw new LessonFormatError(file, stray.line, 'expected a `## ` step heading before this step block, found the introduction');
  }
  if (scanned.steps.length === 0) {
    throw new LessonFormatError(file, scanned.intro.line, 'expected at least one step (a `## ` heading with a ```yaml step block), found none');
  }
  const steps: Step[] = [];
  const seen = new Map<string, number>();
  for (const section of scanned.steps) {
    const step = { ...parseStep(section, steps.length + 1, file), lessonId: front.id };
    const earlier = seen.get(step.id);
    if (earlier !== undefined) {
      throw new LessonFormatError(file, section.line, `expected a step id unique in the lesson, found "${step.id}" again (first on line ${earlier})`);
    }
    seen.set(step.id, section.line);
    steps.push(step);
  }
  const number = Number(/(?:^|\/)(\d+)-[^/]*$/.exec(file)?.[1] ?? 0);
  return {
    id: front.id,
    number,
    title: front.title,
    summary: front.summary,
    ...(front.requires !== undefined ? { requires: front.requires } : {}),
    ...(front.setup !== undefined ? { setup: front.setup } : {}),
    files: front.files,
    intro: sectionMarkdown(scanned.intro).replace(/^# .*\n*/, ''),
    steps,
    source: { file },
  };
}
