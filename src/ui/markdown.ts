// Step markdown for the terminal: one `new Marked(markedTerminal({width}))` per width (never the
// global `marked.use`). marked-terminal pulls in syntax highlighting (~80 ms to load), so it is
// imported after the first frame; until then a plain rendering stands in.
import type { Marked } from 'marked';
import { renderPlainMarkdown } from './markdown-plain.js';

type MarkedModules = { Marked: typeof Marked; markedTerminal: (typeof import('marked-terminal'))['markedTerminal'] };

let modules: MarkedModules | undefined;
let loading: Promise<void> | undefined;
const instances = new Map<number, Marked>();

/** Starts loading marked and marked-terminal (once); resolves when they are ready. */
export function loadMarkdown(): Promise<void> {
  loading ??= Promise.all([import('marked'), import('marked-terminal')]).then(([m, t]) => {
    modules = { Marked: m.Marked, markedTerminal: t.markedTerminal };
  });
  return loading;
}

export function isMarkdownLoaded(): boolean {
  return modules !== undefined;
}

function instanceFor(width: number, mods: MarkedModules): Marked {
  let marked = instances.get(width);
  if (!marked) {
    marked = new mods.Marked(mods.markedTerminal({ width, reflowText: true, showSectionPrefix: false, tab: 2, emoji: false }), {
      renderer: {
        // marked-terminal 7 prints a tight list item's text raw (`**bold**`, backticks) with
        // marked 17, which hands it a text token still holding inline tokens: render those
        text(token) {
          return typeof token === 'object' && 'tokens' in token && token.tokens ? this.parser.parseInline(token.tokens) : false;
        },
      },
    });
    instances.set(width, marked);
  }
  return marked;
}

/** The markdown as terminal text at `width` columns (plain until marked-terminal is loaded). */
export function renderMarkdown(markdown: string, width: number): string {
  if (!modules) return renderPlainMarkdown(markdown, width);
  const out = instanceFor(width, modules).parse(markdown, { async: false });
  return out.replace(/\n+$/, '');
}
