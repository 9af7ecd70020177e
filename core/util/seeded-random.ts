/**
 * A small seeded generator of numbers in [0, 1) (mulberry32): reproducible searches, calibration
 * subsets, test and benchmark inputs. Not for cryptography.
 */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** `count` seeded inputs of `n` values: int8 over the whole range, or float32 in [-1, 1). */
export function randomInputs(dtype: string, n: number, count: number, seed: number): (Int8Array | Float32Array)[] {
  const next = seededRandom(seed);
  return Array.from({ length: count }, () =>
    dtype === 'int8' ? Int8Array.from({ length: n }, () => Math.floor(next() * 256) - 128) : Float32Array.from({ length: n }, () => next() * 2 - 1),
  );
}
