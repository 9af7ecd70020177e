/**
 * Cepstral mean and variance normalisation over a sliding window (speechpy `cmvnw`, as the reference
 * MFCC uses it) — the TS twin of c/cmvn.c, operation for operation in float32: each value minus the
 * mean of the `win` rows centred on its row, divided by (std of those mean-subtracted values + 1e-10).
 * Rows beyond the edges mirror the matrix (numpy.pad 'symmetric', repeated when the window is longer).
 *
 * The window sums slide (one add and one subtract per row) and are compensated (Neumaier), so float32
 * keeps double-like accuracy over long matrices; a window of bit-identical rows (digital silence)
 * gives exactly 0, where an uncompensated float32 mean would leave noise for the 1e-10 to blow up.
 */
const f = Math.fround;

/** Index of padded row p (−pad ≤ p < rows + pad) in the original rows under 'symmetric' padding. */
export function symmetricIndex(p: number, rows: number): number {
  const period = 2 * rows;
  let m = p % period;
  if (m < 0) m += period;
  return m < rows ? m : period - 1 - m;
}

/** The row each padded position 0 .. rows + win − 2 reads (position q is row q − (win − 1)/2 of the padded sequence). */
export function paddedRows(rows: number, win: number): Uint16Array {
  const pad = (win - 1) >> 1;
  return Uint16Array.from({ length: rows + win - 1 }, (_, q) => symmetricIndex(q - pad, rows));
}

/**
 * Neumaier's compensated float32 sum (compensated_sum / csum_add in cmvn.c), on a Float32Array of
 * (sum, carry) pairs: sums[2i] is a running sum, sums[2i + 1] its carry. Plain functions on one typed
 * array keep V8 fast here (the hot loop of the MFCC).
 */
function add(sums: Float32Array, i: number, v: number): void {
  const sum = sums[2 * i] as number;
  const t = f(sum + v);
  if (Math.abs(sum) >= Math.abs(v)) sums[2 * i + 1] = (sums[2 * i + 1] as number) + f(f(sum - t) + v);
  else sums[2 * i + 1] = (sums[2 * i + 1] as number) + f(f(v - t) + sum);
  sums[2 * i] = t;
}

/** sum + carry (csum_value). */
function valueOf(sums: Float32Array, i: number): number {
  return f((sums[2 * i] as number) + (sums[2 * i + 1] as number));
}

/** F32 1e-10, added to the standard deviation (as the reference does). */
const STD_EPSILON = f(1e-10);

/** Scratch of the three sums (mean; mean and square of the centred values). */
const sums = new Float32Array(6);

/**
 * ik_cmvn: in place on a rows × cols row-major float32 matrix. win: odd window length in rows;
 * padded: paddedRows(rows, win); centred: ≥ rows floats of scratch.
 */
export function cmvn(data: Float32Array, rows: number, cols: number, win: number, padded: Uint16Array, centred: Float32Array): void {
  for (let c = 0; c < cols; c++) {
    subtractWindowMeans(data, c, cols, rows, win, padded, centred);
    divideByWindowStd(centred, rows, win, padded, data, c, cols);
  }
}

/** centred[r] = x[r] − window mean, exactly 0 when the window's rows are all equal (subtract_window_means). */
function subtractWindowMeans(data: Float32Array, col: number, stride: number, rows: number, win: number, padded: Uint16Array, centred: Float32Array): void {
  sums[0] = 0;
  sums[1] = 0;
  let changes = 0;
  let previous = 0;
  for (let q = 0; q < win; q++) {
    const v = data[(padded[q] as number) * stride + col] as number;
    add(sums, 0, v);
    if (q > 0 && v !== previous) changes++;
    previous = v;
  }
  for (let r = 0; r < rows; r++) {
    if (r > 0) {
      const enter = data[(padded[r + win - 1] as number) * stride + col] as number;
      const beforeEnter = data[(padded[r + win - 2] as number) * stride + col] as number;
      const leave = data[(padded[r - 1] as number) * stride + col] as number;
      const afterLeave = data[(padded[r] as number) * stride + col] as number;
      add(sums, 0, enter);
      add(sums, 0, -leave);
      if (enter !== beforeEnter) changes++;
      if (afterLeave !== leave) changes--;
    }
    centred[r] = changes === 0 ? 0 : f((data[r * stride + col] as number) - f(valueOf(sums, 0) / win));
  }
}

/** out[r] = centred[r] / (window std of centred + 1e-10) (divide_by_window_std). */
function divideByWindowStd(centred: Float32Array, rows: number, win: number, padded: Uint16Array, out: Float32Array, col: number, stride: number): void {
  sums.fill(0, 2, 6);
  for (let q = 0; q < win; q++) {
    const v = centred[padded[q] as number] as number;
    add(sums, 1, v);
    add(sums, 2, f(v * v));
  }
  for (let r = 0; r < rows; r++) {
    if (r > 0) {
      const vin = centred[padded[r + win - 1] as number] as number;
      const vout = centred[padded[r - 1] as number] as number;
      add(sums, 1, vin);
      add(sums, 1, -vout);
      add(sums, 2, f(vin * vin));
      add(sums, 2, -f(vout * vout));
    }
    const mean = f(valueOf(sums, 1) / win);
    let variance = f(f(valueOf(sums, 2) / win) - f(mean * mean));
    if (variance < 0) variance = 0;
    out[r * stride + col] = f((centred[r] as number) / f(f(Math.sqrt(variance)) + STD_EPSILON));
  }
}
