/**
 * Conv2D forward on the CPU backend (NHWC, any strides / padding / dilation):
 *   y[b, oy, ox, o] = Σ_{ki, kj, ci} x[b, oy*sh - padTop + ki*dh, ox*sw - padLeft + kj*dw, ci] · W[ki, kj, ci, o]
 * (taps in the padding contribute nothing). Typed-array loops over per-tap offset lists, the same
 * inner product as the CPU input gradient (tap-product.ts). Stock TF.js 4.22's CPU Conv2D was half of a CPU training step of the handwritten
 * example (270 of 540 ms); see bench/train-kernels.ts. WASM keeps its XNNPACK kernel.
 */
import type { KernelFunc } from '@tensorflow/tfjs-core';
import type { TfCore } from '../load.js';
import { kernelArrays, type JsBackendName } from './access.js';
import { convForwardGeometry, isNhwc, type ConvAttrs, type WindowGeometry } from './geometry.js';
import { accumulateTaps } from './tap-product.js';

/** The convolution by plain loops; returns y as [N, OH, OW, CO] in float64. */
export function conv2dForward(g: WindowGeometry, x: Float32Array, filter: Float32Array, co: number): Float64Array {
  const { kh, kw, c } = g;
  // W [kh, kw, C, CO] → [tap][out channel o][from channel ci]
  const perTap = c * co;
  const transposed = new Float32Array(kh * kw * perTap);
  for (let t = 0; t < kh * kw; t++) {
    for (let ci = 0; ci < c; ci++) for (let o = 0; o < co; o++) transposed[t * perTap + o * c + ci] = filter[t * perTap + ci * co + o] as number;
  }
  const y = new Float64Array(g.n * g.oh * g.ow * co);
  accumulateTaps(g, co, 'x-to-y', x, transposed, y);
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
