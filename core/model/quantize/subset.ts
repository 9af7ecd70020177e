/** A seeded random subset of row indices (the calibration windows), in ascending order. */
export function seededSubset(indices: readonly number[], count: number, seed: number): number[] {
  if (indices.length <= count) return [...indices];
  // xorshift32 seeded from the impulse seed: the same windows every run.
  let state = (seed ^ 0x9e3779b9) >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
  const pool = [...indices];
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(next() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count).sort((a, b) => a - b);
}
