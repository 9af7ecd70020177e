/**
 * DCT-II with orthonormal scaling (scipy.fftpack.dct(type=2, norm='ortho')), first `k`
 * coefficients of an n-point input, as a cached k×n matrix.
 */
const tables = new Map<string, Float64Array>();

export function dctMatrix(n: number, k: number): Float64Array {
  const key = `${n}:${k}`;
  let m = tables.get(key);
  if (!m) {
    m = new Float64Array(k * n);
    for (let j = 0; j < k; j++) {
      const f = j === 0 ? Math.sqrt(1 / (4 * n)) : Math.sqrt(1 / (2 * n));
      for (let i = 0; i < n; i++) m[j * n + i] = 2 * f * Math.cos((Math.PI * j * (2 * i + 1)) / (2 * n));
    }
    tables.set(key, m);
  }
  return m;
}

/** out[j] = Σ_i m[j,i]·x[i] for j < k. */
export function dct2(m: Float64Array, n: number, k: number, x: ArrayLike<number>, xOffset: number, out: Float64Array, oOffset: number): void {
  for (let j = 0; j < k; j++) {
    let acc = 0;
    const row = j * n;
    for (let i = 0; i < n; i++) acc += (m[row + i] as number) * (x[xOffset + i] as number);
    out[oOffset + j] = acc;
  }
}
