// Step markdown for the terminal, as lines that fit the width: marked's lexer (one instance, no
// global `marked.use`), our block layout (src/tui/markdown/), and marked-terminal's syntax colours
// once they have loaded after the first frame. The layout is the same before and after: only
// colours arrive later. Nothing printed while rendering reaches the terminal behind Ink's back.
import { Marked } from 'marked';
import { renderBlocks } from './blocks.js';
import { currentHighlighter, loadHighlighter } from './highlight.js';
import { withOutputHeld } from './hold-output.js';

const lexer = new Marked({ gfm: true });

/** Starts loading the syntax colours (once); resolves when they are ready. */
export function loadMarkdown(): Promise<void> {
  return loadHighlighter();
}

export function isMarkdownLoaded(): boolean {
  return currentHighlighter() !== undefined;
}

/** The markdown as terminal lines: prose at most `width` columns, code and tables at most
 *  `codeWidth` (the same unless given). */
export function renderMarkdownLines(markdown: string, width: number, codeWidth = width): string[] {
  const tokens = lexer.lexer(markdown.replace(/\r\n/g, '\n'));
  return withOutputHeld(() => renderBlocks(tokens, width, { highlight: currentHighlighter(), wider: Math.max(0, codeWidth - width) }));
}

/** The same as one string. */
export function renderMarkdown(markdown: string, width: number): string {
  return renderMarkdownLines(markdown, width).join('\n');
}
