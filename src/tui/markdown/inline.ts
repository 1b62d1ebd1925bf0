// Inline markdown (code spans, bold, emphasis, links) as terminal text, the same for the step
// text, hints, check sentences and the tutor's notes. Soft line breaks become spaces; a hard break
// stays a '\n' for the wrapper.
import chalk from 'chalk';
import { Lexer, type Token } from 'marked';

export const inlineStyle = {
  code: (s: string) => chalk.yellow(s),
  strong: (s: string) => chalk.bold(s),
  em: (s: string) => chalk.italic(s),
  del: (s: string) => chalk.strikethrough(s),
  href: (s: string) => chalk.blue(s),
  html: (s: string) => chalk.gray(s),
};

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
/** Lesson text may not move the cursor or recolour the screen. */
const clean = (s: string) => s.replace(CONTROL, '');

export function renderInline(tokens: readonly Token[]): string {
  return tokens.map(renderInlineToken).join('');
}

function renderInlineToken(token: Token): string {
  switch (token.type) {
    case 'text':
      return 'tokens' in token && token.tokens ? renderInline(token.tokens) : clean(token.text).replace(/\n/g, ' ');
    case 'escape':
      return clean(token.text);
    case 'codespan':
      return inlineStyle.code(clean(token.text).replace(/\n/g, ' '));
    case 'strong':
      return inlineStyle.strong(renderInline(token.tokens ?? []));
    case 'em':
      return inlineStyle.em(renderInline(token.tokens ?? []));
    case 'del':
      return inlineStyle.del(renderInline(token.tokens ?? []));
    case 'br':
      return '\n';
    case 'link': {
      const text = renderInline(token.tokens ?? []);
      const href = clean(String(token.href));
      return text === href || `mailto:${text}` === href ? inlineStyle.href(text) : `${text} (${inlineStyle.href(href)})`;
    }
    case 'image':
      return `[${clean(String(token.text || 'image'))}]`;
    case 'html':
      return inlineStyle.html(clean(token.text));
    default:
      return 'text' in token && typeof token.text === 'string' ? clean(token.text) : '';
  }
}

/** A line of the tutor's or a lesson's own text (a hint, a check's sentence, a note). */
export function renderInlineMarkdown(text: string): string {
  return renderInline(Lexer.lexInline(text));
}
