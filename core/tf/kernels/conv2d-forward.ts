/**
 * Conv2D forward on the CPU backend (NHWC, any strides / padding / dilation):
 *   y[b, oy, ox, o] = Σ_{ki, kj, ci} x[b, oy*sh - padTop + ki*dh, ox*sw - padLeft + kj*dw, ci] · W[ki, kj, ci, o]
 * (taps in the padding contribute nothing). Typed-array loops over per-tap offset lists, register-
 * tiled over 2 input × 4 output channels, accumulating in float64 — the same structure as the
 * gradient kernels. Stock TF.js 4.22's CPU Conv2D was half of a CPU training step of the handwritten
 * example (270 of 540 ms); see bench/train-kernels.ts. WASM keeps its XNNPACK kernel.
 */
import type { KernelFunc } from '@tensorflow/tfjs-core';
import type { TfCore } from '../load.js';
import { kernelArrays, type JsBackendName } from './access.js';
import { convForwardGeometry, isNhwc, tapOffsets, type ConvAttrs, type WindowGeometry } from './geometry.js';

/** The convolution by plain loops; returns y as [N, OH, OW, CO] in float64. */
export function conv2dForward(g: WindowGeometry, x: Float32Array, filter: Float32Array, co: number): Float64Array {
  const { kh, kw, c } = g;
  const y = new Float64Array(g.n * g.oh * g.ow * co);
  const m = g.n * g.oh * g.ow;
  const xo = new Int32Array(m);
  const yo = new Int32Array(m);
  for (let ki = 0; ki < kh; ki++) {
    for (let kj = 0; kj < kw; kj++) {
      const cnt = tapOffsets(g, ki, kj, c, co, xo, yo);
      if (cnt === 0) continue;
      const wOff = (ki * kw + kj) * c * co;
      let ci = 0;
      for (; ci + 2 <= c; ci += 2) {
        let o = 0;
        for (; o + 4 <= co; o += 4) {
          const r0 = wOff + ci * co + o;
          const r1 = r0 + co;
          const w00 = filter[r0] as number, w01 = filter[r0 + 1] as number, w02 = filter[r0 + 2] as number, w03 = filter[r0 + 3] as number;
          const w10 = filter[r1] as number, w11 = filter[r1 + 1] as number, w12 = filter[r1 + 2] as number, w13 = filter[r1 + 3] as number;
          for (let p = 0; p < cnt; p++) {
            const a = (xo[p] as number) + ci;
            const x0 = x[a] as number;
            const x1 = x[a + 1] as number;
            const d = (yo[p] as number) + o;
            y[d] = (y[d] as number) + x0 * w00 + x1 * w10;
            y[d + 1] = (y[d + 1] as number) + x0 * w01 + x1 * w11;
            y[d + 2] = (y[d + 2] as number) + x0 * w02 + x1 * w12;
            y[d + 3] = (y[d + 3] as number) + x0 * w03 + x1 * w13;
          }
        }
        for (; o < co; o++) {
          const w0 = filter[wOff + ci * co + o] as number;
          const w1 = filter[wOff + (ci + 1) * co + o] as number;
          for (let p = 0; p < cnt; p++) {
            const a = (xo[p] as number) + ci;
            const d = (yo[p] as number) + o;
            y[d] = (y[d] as number) + (x[a] as number) * w0 + (x[a + 1] as number) * w1;
          }
        }
      }
      for (; ci < c; ci++) {
        let o = 0;
        for (; o + 4 <= co; o += 4) {
          const r = wOff + ci * co + o;
          const w0 = filter[r] as number, w1 = filter[r + 1] as number, w2 = filter[r + 2] as number, w3 = filter[r + 3] as number;
          for (let p = 0; p < cnt; p++) {
            const x0 = x[(xo[p] as number) + ci] as number;
            const d = (yo[p] as number) + o;
            y[d] = (y[d] as number) + x0 * w0;
            y[d + 1] = (y[d + 1] as number) + x0 * w1;
            y[d + 2] = (y[d + 2] as number) + x0 * w2;
            y[d + 3] = (y[d + 3] as number) + x0 * w3;
          }
        }
        for (; o < co; o++) {
          const w0 = filter[wOff + ci * co + o] as number;
          for (let p = 0; p < cnt; p++) {
            const d = (yo[p] as number) + o;
            y[d] = (y[d] as number) + (x[(xo[p] as number) + ci] as number) * w0;
          }
        }
      }
    }
  }
  return y;
}

export function makeConv2DForward(tf: TfCore, backendName: JsBackendName, fallback?: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend } = args;
    const attrs = (args.attrs ?? {}) as ConvAttrs;
    const x = inputs['x'];
    const filter = inputs['filter'];
    if (x === undefined || filter === undefined) throw new Error('Conv2D: needs inputs x and filter');
    if (!isNhwc(attrs) || x.dtype !== 'float32' || filter.dtype !== 'float32') {
      if (fallback !== undefined) return fallback(args);
      throw new Error('Conv2D: only float32 NHWC (channelsLast) is supported on this backend');
    }
    const { g, outShape } = convForwardGeometry(tf, x.shape, filter.shape, attrs);
    const arrays = kernelArrays(backendName, backend);
    return arrays.output(outShape, conv2dForward(g, arrays.read(x), arrays.read(filter), filter.shape[3] as number));
  };
}
