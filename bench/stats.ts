// Small statistics for the benchmark: median and spread of repeated samples.

export interface Sample {
  median: number;
  p10: number;
  p90: number;
  n: number;
}

export function summarise(values: readonly number[]): Sample {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))))] ?? NaN;
  return { median: at(0.5), p10: at(0.1), p90: at(0.9), n: sorted.length };
}

export async function sample(n: number, fn: () => Promise<number | void>): Promise<Sample> {
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const measured = await fn();
    values.push(typeof measured === 'number' ? measured : performance.now() - t);
  }
  return summarise(values);
}
