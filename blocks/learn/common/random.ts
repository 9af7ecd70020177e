/**
 * Seeded randomness for the learn blocks. Everything random in training (shuffles, splits,
 * initialiser and dropout seeds, augmentation, k-means++) comes from here, so one seed and
 * one backend give one model. Never Math.random.
 */

/** 32-bit string hash (FNV-1a), used to derive independent streams from one seed. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A small, fast, seeded PRNG (mulberry32) with the helpers training needs. */
export class Rng {
  private state: number;
  private spare: number | undefined;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** An independent stream for one purpose ('shuffle', 'split' ...) of a run with `seed`. */
  static for(seed: number, purpose: string): Rng {
    return new Rng(hash32(`${seed >>> 0}:${Math.floor(seed / 2 ** 32)}:${purpose}`));
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /**
   * out[i] = value where the i-th of the next out.length draws of next() is < probability, else 0;
   * the generator advances past those draws. The same values as that loop over next(), ~6× faster
   * (dropout masks: one draw per activation per step): the state stays an int32 and the draw is
   * compared as an integer, so the mixing steps of next() are repeated here on purpose.
   */
  fillBernoulli(out: Float32Array, probability: number, value: number): void {
    // u / 2^32 < p  ⟺  u < p · 2^32 (both sides exact in float64)
    const threshold = probability * 4294967296;
    let state = this.state | 0;
    for (let i = 0; i < out.length; i++) {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), state | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[i] = value * +(((t ^ (t >>> 14)) >>> 0) < threshold);
    }
    this.state = state >>> 0;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** A seed for TF.js initialisers and dropout (positive 31-bit integer). */
  seed(): number {
    return 1 + this.int(2 ** 31 - 2);
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    let u = 0;
    while (u <= Number.EPSILON) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Fisher-Yates in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i] as T;
      items[i] = items[j] as T;
      items[j] = t;
    }
    return items;
  }

  /** 0..n-1 in random order. */
  permutation(n: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }
}
