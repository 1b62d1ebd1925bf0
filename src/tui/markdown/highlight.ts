// Syntax colours for code blocks, by marked-terminal (highlight.js underneath), loaded after the
// first frame (~150 ms). Only languages highlight.js is known to have are passed on: for any other
// it would print "Could not find the language" on the console, over the tutor's screen.
import type { Tokens } from 'marked';

export type Highlighter = (code: string, language: string) => string;

/** Info-string languages that get colours (highlight.js names and aliases). */
const HIGHLIGHTED = new Set(['sh', 'bash', 'shell', 'zsh', 'console', 'yaml', 'yml', 'json', 'ini', 'toml', 'diff']);

/** The language of a fence's info string: its first word (` ```sh example ` is sh). */
export function languageOf(info: string | undefined): string {
  return (info ?? '').trim().split(/\s+/)[0]!.toLowerCase();
}

export function isHighlighted(language: string): boolean {
  return HIGHLIGHTED.has(language);
}

let highlighter: Highlighter | undefined;
let loading: Promise<void> | undefined;

/** Starts loading the highlighter (once); resolves when it is ready. */
export function loadHighlighter(): Promise<void> {
  loading ??= import('marked-terminal').then(({ markedTerminal }) => {
    // marked-terminal's code renderer, with no indent of its own: it returns the code coloured,
    // followed by a blank line
    const code = markedTerminal({ tab: 0 }).renderer?.code as ((this: unknown, token: Tokens.Code) => string) | undefined;
    if (!code) return;
    highlighter = (text, lang) => {
      const out = code.call({ options: {} }, { type: 'code', raw: text, text, lang, escaped: false });
      return out.split('\n').slice(0, text.split('\n').length).join('\n');
    };
  });
  return loading;
}

export function currentHighlighter(): Highlighter | undefined {
  return highlighter;
}
