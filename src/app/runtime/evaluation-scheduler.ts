// When to evaluate the step's checks: at once after a command, a little later after a burst of
// kernel events (debounced), never two at a time; a request during an evaluation runs one more
// afterwards so the last change is always seen.

export interface EvaluationScheduler {
  request(when: 'now' | 'debounced'): void;
  dispose(): void;
}

export function createEvaluationScheduler(evaluate: () => Promise<void>, debounceMs = 150): EvaluationScheduler {
  let inFlight = false;
  let again = false;
  let disposed = false;
  let timer: NodeJS.Timeout | undefined;

  const start = async (): Promise<void> => {
    if (disposed) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = true;
    try {
      await evaluate();
    } finally {
      inFlight = false;
    }
    if (again) {
      again = false;
      await start();
    }
  };

  return {
    request(when) {
      if (disposed) return;
      if (when === 'now') {
        if (timer) clearTimeout(timer);
        timer = undefined;
        void start();
        return;
      }
      timer ??= setTimeout(() => {
        timer = undefined;
        void start();
      }, debounceMs);
    },
    dispose() {
      disposed = true;
      if (timer) clearTimeout(timer);
    },
  };
}
