// Errors typed by who must act. Only the CLI entry point renders them and sets the exit code.

/** The user (or their machine) must do something; `next` says what. Rendered without a stack. */
export class AbortError extends Error {
  constructor(
    message: string,
    readonly next?: string,
  ) {
    super(message);
    this.name = 'AbortError';
  }
}

/** Our bug: rendered with a stack and a request to report it. */
export class BugError extends Error {
  override name = 'BugError';
}

export function renderError(err: unknown): string {
  if (err instanceof AbortError) {
    return `error: ${err.message}${err.next ? `\n\n${err.next}` : ''}`;
  }
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return `netns-tutor hit a bug. Please report it with this output:\n\n${stack}`;
}
