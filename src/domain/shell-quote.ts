// Quoting text as one bash word. Pure.

/** `text` single-quoted for bash (a `'` inside becomes `'\''`): one word, nothing expanded. */
export function quoteForShell(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}
