// Runs a function with the console and the process's stdout/stderr held: a library that prints
// while the tutor renders (highlight.js warns on the console) would otherwise write over Ink's
// frame. What it printed is dropped; the caller's result is what counts. Synchronous only.

const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

export function withOutputHeld<T>(f: () => T): T {
  const saved = METHODS.map((m) => console[m]);
  const writes = [process.stdout.write, process.stderr.write];
  const swallow = (() => true) as typeof process.stdout.write;
  for (const m of METHODS) console[m] = () => {};
  process.stdout.write = swallow;
  process.stderr.write = swallow;
  try {
    return f();
  } finally {
    METHODS.forEach((m, i) => (console[m] = saved[i]!));
    process.stdout.write = writes[0]!;
    process.stderr.write = writes[1]!;
  }
}
