// A small seeded PRNG (mulberry32): the same seed draws the same drill or exam on every machine,
// so a class can share one and a learner can retry it.

export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  below(n: number): number;
  /** One element, or undefined for an empty list. */
  pick<T>(items: readonly T[]): T | undefined;
}

export function seededRandom(seed: number): SeededRandom {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const below = (n: number) => Math.floor(next() * n);
  return { next, below, pick: (items) => (items.length === 0 ? undefined : items[below(items.length)]) };
}

/** A seed for a drill nobody asked a seed for: short enough to read aloud. */
export function freshSeed(entropy: number): number {
  return Math.floor(entropy * 100_000) % 100_000;
}
