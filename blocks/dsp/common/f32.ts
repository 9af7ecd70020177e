/**
 * Float32 arithmetic as numpy does it. The reference keeps some intermediate arrays in
 * float32 (accelerometer windows, MFE's rescaled audio); to agree with it to 1e-5 relative
 * we round where numpy rounds. `Math.fround` of a double +,-,*,/ or sqrt of two float32
 * values is the correctly rounded float32 result, so each op is one fround.
 */
export const f32 = Math.fround;

/**
 * numpy's `add.reduce` over a contiguous float32 vector: pairwise summation (blocks of up to
 * 128 summed with 8 float32 accumulators, larger halves recursively), starting from 0.
 */
export function sumF32(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  return f32(0 + pairwise(a, start, n));
}

function pairwise(a: ArrayLike<number>, s: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res = f32(res + (a[s + i] as number));
    return res;
  }
  if (n <= 128) {
    let r0 = a[s] as number, r1 = a[s + 1] as number, r2 = a[s + 2] as number, r3 = a[s + 3] as number;
    let r4 = a[s + 4] as number, r5 = a[s + 5] as number, r6 = a[s + 6] as number, r7 = a[s + 7] as number;
    let i = 8;
    const end = n - (n % 8);
    for (; i < end; i += 8) {
      r0 = f32(r0 + (a[s + i] as number));
      r1 = f32(r1 + (a[s + i + 1] as number));
      r2 = f32(r2 + (a[s + i + 2] as number));
      r3 = f32(r3 + (a[s + i + 3] as number));
      r4 = f32(r4 + (a[s + i + 4] as number));
      r5 = f32(r5 + (a[s + i + 5] as number));
      r6 = f32(r6 + (a[s + i + 6] as number));
      r7 = f32(r7 + (a[s + i + 7] as number));
    }
    let res = f32(f32(f32(r0 + r1) + f32(r2 + r3)) + f32(f32(r4 + r5) + f32(r6 + r7)));
    for (; i < n; i++) res = f32(res + (a[s + i] as number));
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return f32(pairwise(a, s, n2) + pairwise(a, s + n2, n - n2));
}

/** numpy's pairwise summation in float64 (for parity of float64 paths; differences are ulps). */
export function sumF64(a: ArrayLike<number>, start = 0, n = a.length - start): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[start + i] as number;
    return res;
  }
  if (n <= 128) {
    let r0 = a[start] as number, r1 = a[start + 1] as number, r2 = a[start + 2] as number, r3 = a[start + 3] as number;
    let r4 = a[start + 4] as number, r5 = a[start + 5] as number, r6 = a[start + 6] as number, r7 = a[start + 7] as number;
    let i = 8;
    const end = n - (n % 8);
    for (; i < end; i += 8) {
      r0 += a[start + i] as number;
      r1 += a[start + i + 1] as number;
      r2 += a[start + i + 2] as number;
      r3 += a[start + i + 3] as number;
      r4 += a[start + i + 4] as number;
      r5 += a[start + i + 5] as number;
      r6 += a[start + i + 6] as number;
      r7 += a[start + i + 7] as number;
    }
    let res = (r0 + r1 + (r2 + r3)) + (r4 + r5 + (r6 + r7));
    for (; i < n; i++) res += a[start + i] as number;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return sumF64(a, start, n2) + sumF64(a, start + n2, n - n2);
}

/** numpy `round`/`around`: halves go to the even neighbour. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  if (Math.abs(v - Math.trunc(v)) === 0.5) return 2 * Math.round(v / 2);
  return r;
}
