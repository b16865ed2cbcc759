/**
 * Seeded pseudo-random numbers (mulberry32). The simulator must be deterministic for a given seed, so every
 * random choice (faults, jitter, generated ids) comes from one of these instead of Math.random.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, bound). */
  int(bound: number): number;
}

export function createRandom(seed: number): Random {
  // mulberry32 keeps its state in one 32-bit integer; `| 0` / `>>> 0` keep the arithmetic in 32 bits.
  let state = seed | 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (bound) => Math.floor(next() * bound) };
}

/**
 * Derives an independent stream for one purpose, so that (say) generating more users does not shift the
 * sequence of injected faults for the same seed.
 */
export function deriveSeed(seed: number, purpose: number): number {
  return Math.imul(seed ^ Math.imul(purpose, 0x9e3779b9), 0x85ebca6b) ^ purpose;
}

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

/** A Zoom-looking user id: 22 characters of [A-Za-z0-9_-] (like `zJKyaiAyTNC-MWjiWC18KQ`). */
export function randomZoomId(random: Random, length = 22): string {
  let id = "";
  for (let i = 0; i < length; i++) id += ID_ALPHABET[random.int(ID_ALPHABET.length)];
  return id;
}
