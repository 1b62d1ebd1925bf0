// Errors typed by who must act, and the exit code each means. Only the CLI entry point renders
// them (as text, or as JSON under --json) and sets the exit code.

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

/** The command line itself is wrong (unknown command or option, missing argument): exit 2. */
export class UsageError extends AbortError {
  override name = 'UsageError';
}

/** Our bug: rendered with a stack and a request to report it. */
export class BugError extends Error {
  override name = 'BugError';
}

/** Exit codes: 0 passed, 1 failed (a check, or the command could not do its work), 2 usage error. */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export const exitCodeOf = (err: unknown): number => (err instanceof UsageError ? EXIT_USAGE : EXIT_FAILED);

export function renderError(err: unknown): string {
  if (err instanceof AbortError) {
    return `error: ${err.message}${err.next ? `\n\n${err.next}` : ''}`;
  }
  const stack = err instanceof Error ? (err.stack ?? err.message) : String(err);
  return `netns-tutor hit a bug. Please report it with this output:\n\n${stack}`;
}

/** The error as `--json` callers read it: {"error": {"kind", "message", "next"?, "stack"?}}. */
export function renderErrorJson(err: unknown): string {
  const kind = err instanceof UsageError ? 'usage' : err instanceof AbortError ? 'abort' : 'bug';
  const message = err instanceof Error ? err.message : String(err);
  const extra = err instanceof AbortError ? (err.next ? { next: err.next } : {}) : { stack: err instanceof Error ? err.stack : undefined };
  return JSON.stringify({ error: { kind, message, exitCode: exitCodeOf(err), ...extra } }, null, 2);
}
