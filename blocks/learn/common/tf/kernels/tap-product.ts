/**
 * The inner product both CPU conv kernels share: for every kernel tap and every (input pixel,
 * output position) pair the tap links (tapOffsets),
 *   out[outOffset + i] += Σ_j from[fromOffset + j] · weights[tap][i][j]
 * with `weights` row-major [kh·kw][outChannels][fromChannels]. The forward pass reads x and writes
 * y (weights = W transposed per tap); the input gradient reads dy and writes dx (weights = W as
 * stored). Register-tiled 2 out × 4 from channels, accumulating in float64.
 */
import { tapOffsets, type WindowGeometry } from './geometry.js';

export function accumulateTaps(
  g: WindowGeometry,
  co: number,
  direction: 'x-to-y' | 'y-to-x',
  from: Float32Array,
  weights: Float32Array,
  out: Float64Array,
): void {
  const { kh, kw, c } = g;
  const outCh = direction === 'x-to-y' ? co : c;
  const fromCh = direction === 'x-to-y' ? c : co;
  const m = g.n * g.oh * g.ow;
  const xo = new Int32Array(m);
  const yo = new Int32Array(m);
  const outOff = direction === 'x-to-y' ? yo : xo;
  const fromOff = direction === 'x-to-y' ? xo : yo;
  for (let ki = 0; ki < kh; ki++) {
    for (let kj = 0; kj < kw; kj++) {
      const cnt = tapOffsets(g, ki, kj, c, co, xo, yo);
      if (cnt === 0) continue;
      const wOff = (ki * kw + kj) * outCh * fromCh;
      let i = 0;
      for (; i + 2 <= outCh; i += 2) {
        let j = 0;
        for (; j + 4 <= fromCh; j += 4) {
          const r0 = wOff + i * fromCh + j;
          const r1 = r0 + fromCh;
          const w00 = weights[r0] as number, w01 = weights[r0 + 1] as number, w02 = weights[r0 + 2] as number, w03 = weights[r0 + 3] as number;
          const w10 = weights[r1] as number, w11 = weights[r1 + 1] as number, w12 = weights[r1 + 2] as number, w13 = weights[r1 + 3] as number;
          for (let p = 0; p < cnt; p++) {
            const f = (fromOff[p] as number) + j;
            const f0 = from[f] as number, f1 = from[f + 1] as number, f2 = from[f + 2] as number, f3 = from[f + 3] as number;
            const a = (outOff[p] as number) + i;
            out[a] = (out[a] as number) + w00 * f0 + w01 * f1 + w02 * f2 + w03 * f3;
            out[a + 1] = (out[a + 1] as number) + w10 * f0 + w11 * f1 + w12 * f2 + w13 * f3;
          }
        }
        for (; j < fromCh; j++) {
          const w0 = weights[wOff + i * fromCh + j] as number;
          const w1 = weights[wOff + (i + 1) * fromCh + j] as number;
          for (let p = 0; p < cnt; p++) {
            const f = from[(fromOff[p] as number) + j] as number;
            const a = (outOff[p] as number) + i;
            out[a] = (out[a] as number) + w0 * f;
            out[a + 1] = (out[a + 1] as number) + w1 * f;
          }
        }
      }
      for (; i < outCh; i++) {
        let j = 0;
        for (; j + 4 <= fromCh; j += 4) {
          const r = wOff + i * fromCh + j;
          const w0 = weights[r] as number, w1 = weights[r + 1] as number, w2 = weights[r + 2] as number, w3 = weights[r + 3] as number;
          for (let p = 0; p < cnt; p++) {
            const f = (fromOff[p] as number) + j;
            const a = (outOff[p] as number) + i;
            out[a] = (out[a] as number) + w0 * (from[f] as number) + w1 * (from[f + 1] as number) + w2 * (from[f + 2] as number) + w3 * (from[f + 3] as number);
          }
        }
        for (; j < fromCh; j++) {
          const w0 = weights[wOff + i * fromCh + j] as number;
          for (let p = 0; p < cnt; p++) {
            const a = (outOff[p] as number) + i;
            out[a] = (out[a] as number) + w0 * (from[(fromOff[p] as number) + j] as number);
          }
        }
      }
    }
  }
}
