/**
 * Cepstral mean and variance normalisation over a sliding window (speechpy `cmvnw`):
 * each row minus the mean of the `win` rows centred on it, then divided by (std + 1e-10) of
 * the mean-subtracted rows in the same window. Rows beyond the edges mirror the signal
 * (numpy.pad 'symmetric', repeated when the window is longer than the signal).
 * The reference keeps the mean-subtracted matrix in float32; so do we. Sliding sums make it
 * O(rows·cols) instead of O(rows·win·cols).
 */

/** Index of padded row p (−pad ≤ p < rows + pad) in the original rows under 'symmetric' padding. */
export function symmetricIndex(p: number, rows: number): number {
  const period = 2 * rows;
  let m = p % period;
  if (m < 0) m += period;
  return m < rows ? m : period - 1 - m;
}

/** In place on a row-major rows×cols matrix; the output is float32-rounded. */
export function cmvnw(data: Float64Array, rows: number, cols: number, win: number, scratch: CmvnScratch): void {
  const pad = (win - 1) >> 1;
  const meanSub = scratch.ensure(rows * cols);
  const idx = scratch.indices(rows, pad);
  for (let c = 0; c < cols; c++) {
    // window means by a running sum over the padded sequence
    let sum = 0;
    for (let p = 0; p < win; p++) sum += data[(idx[p] as number) * cols + c] as number;
    for (let r = 0; r < rows; r++) {
      if (r > 0) {
        sum += (data[(idx[r + win - 1] as number) * cols + c] as number) - (data[(idx[r - 1] as number) * cols + c] as number);
      }
      meanSub[r * cols + c] = Math.fround((data[r * cols + c] as number) - sum / win);
    }
    // window std of the mean-subtracted values (two running sums; values are centred so this is stable)
    let s1 = 0;
    let s2 = 0;
    for (let p = 0; p < win; p++) {
      const v = meanSub[(idx[p] as number) * cols + c] as number;
      s1 += v;
      s2 += v * v;
    }
    for (let r = 0; r < rows; r++) {
      if (r > 0) {
        const vin = meanSub[(idx[r + win - 1] as number) * cols + c] as number;
        const vout = meanSub[(idx[r - 1] as number) * cols + c] as number;
        s1 += vin - vout;
        s2 += vin * vin - vout * vout;
      }
      const mean = s1 / win;
      let variance = s2 / win - mean * mean;
      if (variance < 0) variance = 0;
      data[r * cols + c] = Math.fround((meanSub[r * cols + c] as number) / (Math.sqrt(variance) + 1e-10));
    }
  }
}

/** Reusable buffers for cmvnw (one per plan). */
export class CmvnScratch {
  private buf = new Float64Array(0);
  private idxCache = new Map<string, Int32Array>();
  ensure(n: number): Float64Array {
    if (this.buf.length < n) this.buf = new Float64Array(n);
    return this.buf;
  }
  indices(rows: number, pad: number): Int32Array {
    const key = `${rows}:${pad}`;
    let a = this.idxCache.get(key);
    if (!a) {
      a = new Int32Array(rows + 2 * pad);
      for (let p = 0; p < a.length; p++) a[p] = symmetricIndex(p - pad, rows);
      this.idxCache.set(key, a);
    }
    return a;
  }
}
