/** Agreement statistics between two runs of a model over many windows (one output each). */

export interface Int8Agreement {
  /** Fraction of all output values equal, and within one quantization step. */
  readonly exact: number;
  readonly withinOneLsb: number;
  /** Fraction of windows whose arg-max agrees. */
  readonly sameTop: number;
  readonly maxLsb: number;
}

const argmax = (a: ArrayLike<number>): number => {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i]! > a[best]!) best = i;
  return best;
};

export function compareInt8(got: readonly ArrayLike<number>[], want: readonly ArrayLike<number>[]): Int8Agreement {
  if (got.length !== want.length) throw new Error(`${got.length} vs ${want.length} windows`);
  let values = 0;
  let exact = 0;
  let within = 0;
  let sameTop = 0;
  let maxLsb = 0;
  got.forEach((g, w) => {
    const h = want[w]!;
    if (g.length !== h.length) throw new Error(`window ${w}: ${g.length} vs ${h.length} outputs`);
    for (let i = 0; i < g.length; i++) {
      const d = Math.abs(g[i]! - h[i]!);
      values++;
      if (d === 0) exact++;
      if (d <= 1) within++;
      maxLsb = Math.max(maxLsb, d);
    }
    if (argmax(g) === argmax(h)) sameTop++;
  });
  return { exact: exact / values, withinOneLsb: within / values, sameTop: sameTop / got.length, maxLsb };
}

/** Largest |a − b| / max(1, |b|) over all values. */
export function compareFloat(got: readonly ArrayLike<number>[], want: readonly ArrayLike<number>[]): { maxError: number } {
  let maxError = 0;
  got.forEach((g, w) => {
    const h = want[w]!;
    if (g.length !== h.length) throw new Error(`window ${w}: ${g.length} vs ${h.length} outputs`);
    for (let i = 0; i < g.length; i++) maxError = Math.max(maxError, Math.abs(g[i]! - h[i]!) / Math.max(1, Math.abs(h[i]!)));
  });
  return { maxError };
}
