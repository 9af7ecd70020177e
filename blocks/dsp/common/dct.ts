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

/**
 * ik_dct_rows (float32, the C's order): out[j] = Σ_i matrix[j·n + i]·x[i] for j < rows, summed in four
 * interleaved partial sums (i mod 4) combined as (a0 + a1) + (a2 + a3); a tail of n mod 4 terms goes to a0.
 */
export function dctRows(matrix: Float32Array, rows: number, n: number, x: Float32Array, xOffset: number, out: Float32Array, oOffset: number): void {
  const f = Math.fround;
  for (let j = 0; j < rows; j++) {
    const row = j * n;
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      a0 = f(a0 + f((matrix[row + i] as number) * (x[xOffset + i] as number)));
      a1 = f(a1 + f((matrix[row + i + 1] as number) * (x[xOffset + i + 1] as number)));
      a2 = f(a2 + f((matrix[row + i + 2] as number) * (x[xOffset + i + 2] as number)));
      a3 = f(a3 + f((matrix[row + i + 3] as number) * (x[xOffset + i + 3] as number)));
    }
    for (; i < n; i++) a0 = f(a0 + f((matrix[row + i] as number) * (x[xOffset + i] as number)));
    out[oOffset + j] = f(a0 + a1) + f(a2 + a3);
  }
}
