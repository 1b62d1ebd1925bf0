// Splits a lesson file into its front matter, introduction and step sections, with the fenced
// blocks of each step and the line every piece starts on. Knows nothing of checks or YAML.
import { LessonFormatError } from './lesson-format-error.js';

export interface SourceLine {
  text: string;
  /** 1-based line in the file. */
  line: number;
}

export interface FencedBlock {
  /** The info string's words: ['sh'], ['sh', 'solution'], ['yaml', 'step'], ... */
  info: string[];
  /** Line of the opening fence. */
  line: number;
  /** Line of the closing fence. */
  endLine: number;
  content: string;
}

export interface ScannedSection {
  /** The heading text (for a step), '' for the introduction. */
  title: string;
  line: number;
  lines: SourceLine[];
  blocks: FencedBlock[];
}

export interface ScannedLesson {
  frontMatter: { text: string; line: number };
  intro: ScannedSection;
  steps: ScannedSection[];
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*(.*)$/;
const STEP_HEADING = /^## +(.*?)(?:\s+#+)?\s*$/;

function splitFrontMatter(lines: string[], file: string): { text: string; bodyStart: number } {
  const first = lines[0] ?? '';
  if (first.trimEnd() !== '---') {
    const found = first.trim() === '' ? 'an empty line' : `"${first.slice(0, 40)}"`;
    throw new LessonFormatError(file, 1, `expected front matter starting with a line \`---\`, found ${found}`);
  }
  const end = lines.findIndex((l, i) => i > 0 && (l.trimEnd() === '---' || l.trimEnd() === '...'));
  if (end < 0) {
    throw new LessonFormatError(file, 1, 'expected the front matter to end with a line `---`, found the end of the file');
  }
  return { text: lines.slice(1, end).join('\n'), bodyStart: end + 1 };
}

export function scanLessonMarkdown(text: string, file: string): ScannedLesson {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const { text: fmText, bodyStart } = splitFrontMatter(lines, file);
  const intro: ScannedSection = { title: '', line: bodyStart + 1, lines: [], blocks: [] };
  const steps: ScannedSection[] = [];
  let current = intro;
  let fence: { marker: string; block: FencedBlock; body: string[] } | undefined;

  for (let i = bodyStart; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const line = i + 1;
    if (fence) {
      const close = FENCE.exec(raw);
      if (close && close[1]![0] === fence.marker[0] && close[1]!.length >= fence.marker.length && close[2]!.trim() === '') {
        fence.block.endLine = line;
        fence.block.content = fence.body.join('\n');
        current.blocks.push(fence.block);
        fence = undefined;
      } else {
        fence.body.push(raw);
      }
      current.lines.push({ text: raw, line });
      continue;
    }
    const open = FENCE.exec(raw);
    if (open) {
      const info = open[2]!.trim().split(/\s+/).filter(Boolean);
      fence = { marker: open[1]!, block: { info, line, endLine: line, content: '' }, body: [] };
      current.lines.push({ text: raw, line });
      continue;
    }
    const heading = STEP_HEADING.exec(raw);
    if (heading) {
      current = { title: heading[1]!.trim(), line, lines: [], blocks: [] };
      steps.push(current);
      continue;
    }
    current.lines.push({ text: raw, line });
  }
  if (fence) {
    throw new LessonFormatError(
      file,
      fence.block.line,
      `expected a closing ${fence.marker} line for the code block opened here, found the end of the file`,
    );
  }
  return { frontMatter: { text: fmText, line: 2 }, intro, steps };
}

/** The section's markdown without the given blocks (by opening line), trimmed of blank edges. */
export function sectionMarkdown(section: ScannedSection, without: readonly FencedBlock[] = []): string {
  const hidden = (line: number) => without.some((b) => line >= b.line && line <= b.endLine);
  const kept = section.lines.filter((l) => !hidden(l.line)).map((l) => l.text);
  return kept.join('\n').replace(/^(?:[ \t]*\n)+/, '').trimEnd();
}
