// Collects streamed output and hands it on at most every `intervalMs`, keeping only the newest
// `maxPending` characters between flushes: a command printing megabytes costs a few renders a
// second, not one per chunk, and the screen never freezes.

export interface OutputBatcher {
  push(text: string, stream: 'stdout' | 'stderr'): void;
  /** Deliver what is pending now (a command finished). */
  flush(): void;
  dispose(): void;
}

export function createOutputBatcher(
  deliver: (text: string, stream: 'stdout' | 'stderr') => void,
  intervalMs = 50,
  maxPending = 256 * 1024,
): OutputBatcher {
  let segments: Array<{ stream: 'stdout' | 'stderr'; text: string }> = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const out = segments;
    segments = [];
    size = 0;
    for (const s of out) deliver(s.text, s.stream);
  };

  const trim = () => {
    while (size > maxPending && segments.length > 0) {
      const first = segments[0]!;
      const excess = size - maxPending;
      if (first.text.length <= excess) {
        segments.shift();
        size -= first.text.length;
      } else {
        // cut at a line start so no half line is shown
        const cut = first.text.indexOf('\n', excess);
        const at = cut < 0 ? first.text.length : cut + 1;
        first.text = first.text.slice(at);
        size -= at;
        if (first.text.length === 0) segments.shift();
      }
    }
  };

  return {
    push(text, stream) {
      if (!text) return;
      const last = segments[segments.length - 1];
      if (last && last.stream === stream) last.text += text;
      else segments.push({ stream, text });
      size += text.length;
      if (size > maxPending) trim();
      timer ??= setTimeout(flush, intervalMs);
    },
    flush,
    dispose() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      segments = [];
      size = 0;
    },
  };
}
