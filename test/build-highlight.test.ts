// The bundle's highlight.js is its core with a few languages (scripts/highlight-core.mjs): every
// language the tutor colours (src/tui/markdown/highlight.ts) must be among them, or a code block in
// that language would print "Could not find the language" over the tutor's screen.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isHighlighted } from '../src/tui/markdown/highlight.js';
// @ts-expect-error: a plain .mjs build script, no types
import { HIGHLIGHT_LANGUAGES } from '../scripts/highlight-core.mjs';

const require = createRequire(import.meta.url);

interface Hljs {
  listLanguages(): string[];
  getLanguage(name: string): { aliases?: string[] } | undefined;
  registerLanguage(name: string, language: unknown): void;
}

describe('the bundled highlight.js core', () => {
  it('knows every language the tutor colours, by every name highlight.js gives it', () => {
    // the core first: the whole highlight.js registers its 190 languages into that same instance
    const core = require('highlight.js/lib/core') as Hljs;
    for (const l of HIGHLIGHT_LANGUAGES as string[]) core.registerLanguage(l, require(`highlight.js/lib/languages/${l}`));
    const namesIn = (h: Hljs) => h.listLanguages().flatMap((l) => [l, ...(h.getLanguage(l)?.aliases ?? [])]);
    const inCore = new Set(namesIn(core));
    expect(core.listLanguages().sort()).toEqual([...(HIGHLIGHT_LANGUAGES as string[])].sort());
    const coloured = namesIn(require('highlight.js') as Hljs).filter((n) => isHighlighted(n));
    // the tutor colours sh, yaml and more: a check that found none would prove nothing
    expect(coloured).toEqual(expect.arrayContaining(['sh', 'bash', 'yaml', 'json']));
    expect(coloured.filter((n) => !inCore.has(n))).toEqual([]);
  });
});
