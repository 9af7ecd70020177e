/**
 * DepthwiseConv2dNativeBackpropInput (NHWC; filter [kh, kw, C, mult]):
 *   dx[b, iy, ix, ci] = Σ over taps reading (iy, ix) of Σ_q W[ki, kj, ci, q] · dy[b, oy, ox, ci*mult + q].
 * Typed-array loops over per-tap offset lists (both backends), accumulating in float64.
 */
import type { KernelFunc } from '@tensorflow/tfjs-core';
import type { TfCore } from '../load.js';
import { kernelArrays, type JsBackendName } from './access.js';
import { convGeometry, tapOffsets, type ConvAttrs, type WindowGeometry } from './geometry.js';

export function depthwiseInputGrad(g: WindowGeometry, filter: Float32Array, dy: Float32Array, mult: number): Float64Array {
  const { kh, kw, c } = g;
  const co = c * mult;
  const dx = new Float64Array(g.n * g.h * g.w * c);
  const m = g.n * g.oh * g.ow;
  const xo = new Int32Array(m);
  const yo = new Int32Array(m);
  for (let ki = 0; ki < kh; ki++) {
    for (let kj = 0; kj < kw; kj++) {
      const cnt = tapOffsets(g, ki, kj, c, co, xo, yo);
      const wOff = (ki * kw + kj) * co;
      for (let p = 0; p < cnt; p++) {
        const a = xo[p] as number;
        const d = yo[p] as number;
        if (mult === 1) {
          for (let ci = 0; ci < c; ci++) dx[a + ci] = (dx[a + ci] as number) + (filter[wOff + ci] as number) * (dy[d + ci] as number);
        } else {
          for (let ci = 0; ci < c; ci++) {
            const base = ci * mult;
            let s = 0;
            for (let q = 0; q < mult; q++) s += (filter[wOff + base + q] as number) * (dy[d + base + q] as number);
            dx[a + ci] = (dx[a + ci] as number) + s;
          }
        }
      }
    }
  }
  return dx;
}

export function makeDepthwiseBackpropInput(tf: TfCore, backendName: JsBackendName): KernelFunc {
  return (args) => {
    const { inputs, backend } = args;
    const attrs = (args.attrs ?? {}) as ConvAttrs & { inputShape?: number[] };
    const dy = inputs['dy'];
    const filter = inputs['filter'];
    if (dy === undefined || filter === undefined) throw new Error('DepthwiseConv2dNativeBackpropInput: needs inputs dy and filter');
    const inputShape = attrs.inputShape;
    if (inputShape === undefined || inputShape.length !== 4) throw new Error('DepthwiseConv2dNativeBackpropInput: needs attr inputShape');
    const g = convGeometry(tf, inputShape, filter.shape, dy.shape, attrs, true);
    const arrays = kernelArrays(backendName, backend);
    const dx = depthwiseInputGrad(g, arrays.read(filter), arrays.read(dy), filter.shape[3] as number);
    return arrays.output(inputShape, dx);
  };
}
