// Markdown blocks (marked's tokens) as terminal lines of at most `width` columns (code and tables:
// `width + wider`): prose and list items wrapped at word boundaries with hanging indents, code
// wrapped so every command stays whole (see wrap-code.ts), tables fitted. Nothing is ever cut.
import chalk from 'chalk';
import type { Token, Tokens } from 'marked';
import { splitStyledLines } from '../text/styled-text.js';
import { wrapCode } from '../text/wrap-code.js';
import { wrapWords } from '../text/wrap-words.js';
import { isHighlighted, languageOf, type Highlighter } from './highlight.js';
import { renderInline } from './inline.js';
import { renderTable } from './table.js';

export interface BlockOptions {
  /** Colours code in the languages it knows; absent: code is shown plain. */
  highlight?: Highlighter | undefined;
  /** Columns code and tables may use beyond the prose's width (prose reads best narrower; a
   *  command is best on one line). */
  wider?: number;
}

const CODE_INDENT = '  ';
const SHELL = new Set(['', 'sh', 'bash', 'shell', 'zsh', 'console']);

function renderCode(token: Tokens.Code, width: number, opts: BlockOptions): string[] {
  const language = languageOf(token.lang);
  const lines = wrapCode(token.text, width + (opts.wider ?? 0) - CODE_INDENT.length, SHELL.has(language) ? 'shell' : 'other');
  const highlighted = opts.highlight && isHighlighted(language) ? splitStyledLines(opts.highlight(lines.join('\n'), language)) : lines;
  // a highlighter that changed the number of lines is not trusted with the layout
  const shown = highlighted.length === lines.length ? highlighted : lines;
  return shown.map((l) => (l ? CODE_INDENT + l : ''));
}

function renderList(token: Tokens.List, width: number, opts: BlockOptions): string[] {
  const start = typeof token.start === 'number' ? token.start : 1;
  const markers = token.items.map((item, i) => `${token.ordered ? `${start + i}.` : '•'}${item.task ? ` [${item.checked ? 'x' : ' '}]` : ''} `);
  const markerWidth = Math.max(...markers.map((m) => m.length));
  const hanging = ' '.repeat(markerWidth);
  const lines: string[] = [];
  token.items.forEach((item, i) => {
    if (i > 0 && token.loose) lines.push('');
    const body = renderBlocks(item.tokens, width - markerWidth, opts, item.loose ? 'loose' : 'tight');
    body.forEach((line, j) => lines.push(j === 0 ? markers[i]!.padEnd(markerWidth) + line : line ? hanging + line : ''));
  });
  return lines;
}

function renderBlock(token: Token, width: number, opts: BlockOptions): string[] | undefined {
  switch (token.type) {
    case 'space':
    case 'def':
      return undefined;
    case 'paragraph':
      return wrapWords(renderInline(token.tokens ?? []), width);
    case 'text':
      return wrapWords('tokens' in token && token.tokens ? renderInline(token.tokens) : String(token.text), width);
    case 'heading': {
      const style = token.depth === 1 ? chalk.magenta.bold.underline : chalk.green.bold;
      return wrapWords(renderInline(token.tokens ?? []), width).map((l) => style(l));
    }
    case 'code':
      return renderCode(token as Tokens.Code, width, opts);
    case 'list':
      return renderList(token as Tokens.List, width, opts);
    case 'table': {
      const t = token as Tokens.Table;
      return renderTable({ header: t.header.map((c) => renderInline(c.tokens)), rows: t.rows.map((r) => r.map((c) => renderInline(c.tokens))) }, width + (opts.wider ?? 0));
    }
    case 'blockquote':
      return renderBlocks(token.tokens ?? [], width - 2, opts).map((l) => `${chalk.dim('│')} ${chalk.italic(l)}`);
    case 'hr':
      return [chalk.dim('─'.repeat(Math.max(1, width)))];
    case 'html':
      return String(token.text).trim() ? wrapWords(chalk.gray(String(token.text).trim()), width) : undefined;
    default:
      return 'text' in token && typeof token.text === 'string' ? wrapWords(token.text, width) : undefined;
  }
}

/** Blocks one after another: a blank line between them, none inside a tight list item. */
export function renderBlocks(tokens: readonly Token[], width: number, opts: BlockOptions = {}, spacing: 'loose' | 'tight' = 'loose'): string[] {
  const lines: string[] = [];
  for (const token of tokens) {
    const block = renderBlock(token, Math.max(1, width), opts);
    if (!block || block.length === 0) continue;
    if (lines.length > 0 && spacing === 'loose') lines.push('');
    lines.push(...block);
  }
  return lines;
}
