/**
 * Float32 arithmetic as the C does it (and numpy on float32 arrays). `Math.fround` of a double
 * +, −, ×, ÷ or sqrt of float32 values is the correctly rounded float32 result (double has more
 * than twice float32's precision, so the double rounding is innocuous): each C operation is one
 * fround (or a store into a Float32Array, which rounds the same way).
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
