// The one error a malformed lesson produces: where (file:line), what was expected, what was found.

export class LessonFormatError extends Error {
  override name = 'LessonFormatError';
  /** The sentence without the `file:line: ` prefix. */
  readonly detail: string;

  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
    this.detail = detail;
  }
}

/** Describes a YAML value for "found ..." in messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return value.length > 40 ? `"${value.slice(0, 40)}…"` : `"${value}"`;
  return `${typeof value} ${String(value)}`;
}
