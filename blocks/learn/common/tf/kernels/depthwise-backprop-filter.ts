/**
 * DepthwiseConv2dNativeBackpropFilter (NHWC; filter [kh, kw, C, mult]; output channel ci*mult + q):
 *   dW[ki, kj, ci, q] = Σ_{b, oy, ox} x[b, iy, ix, ci] · dy[b, oy, ox, ci*mult + q]
 * with iy = oy*sh - padTop + ki*dh, ix = ox*sw - padLeft + kj*dw inside the input.
 * Typed-array loops over per-tap offset lists (both backends), accumulating in float64.
 */
import type { KernelFunc } from '@tensorflow/tfjs-core';
import type { TfCore } from '../load.js';
import { kernelArrays, type JsBackendName } from './access.js';
import { convGeometry, tapOffsets, type ConvAttrs, type WindowGeometry } from './geometry.js';

export function depthwiseFilterGrad(g: WindowGeometry, x: Float32Array, dy: Float32Array, mult: number): Float64Array {
  const { kh, kw, c } = g;
  const co = c * mult;
  const acc = new Float64Array(kh * kw * co);
  const m = g.n * g.oh * g.ow;
  const xo = new Int32Array(m);
  const yo = new Int32Array(m);
  const rowX = new Float64Array(c);
  for (let ki = 0; ki < kh; ki++) {
    for (let kj = 0; kj < kw; kj++) {
      const cnt = tapOffsets(g, ki, kj, c, co, xo, yo);
      const wOff = (ki * kw + kj) * co;
      if (mult === 1) {
        // channel rows are contiguous in both x and dy: accumulate whole rows
        const row = rowX;
        row.fill(0);
        for (let p = 0; p < cnt; p++) {
          const a = xo[p] as number;
          const d = yo[p] as number;
          for (let ci = 0; ci < c; ci++) row[ci] = (row[ci] as number) + (x[a + ci] as number) * (dy[d + ci] as number);
        }
        for (let ci = 0; ci < c; ci++) acc[wOff + ci] = row[ci] as number;
      } else {
        for (let p = 0; p < cnt; p++) {
          const a = xo[p] as number;
          const d = yo[p] as number;
          for (let ci = 0; ci < c; ci++) {
            const xv = x[a + ci] as number;
            const base = ci * mult;
            for (let q = 0; q < mult; q++) acc[wOff + base + q] = (acc[wOff + base + q] as number) + xv * (dy[d + base + q] as number);
          }
        }
      }
    }
  }
  return acc;
}

export function makeDepthwiseBackpropFilter(tf: TfCore, backendName: JsBackendName): KernelFunc {
  return (args) => {
    const { inputs, backend } = args;
    const attrs = (args.attrs ?? {}) as ConvAttrs & { filterShape?: number[] };
    const x = inputs['x'];
    const dy = inputs['dy'];
    if (x === undefined || dy === undefined) throw new Error('DepthwiseConv2dNativeBackpropFilter: needs inputs x and dy');
    const filterShape = attrs.filterShape;
    if (filterShape === undefined || filterShape.length !== 4) throw new Error('DepthwiseConv2dNativeBackpropFilter: needs attr filterShape');
    const g = convGeometry(tf, x.shape, filterShape, dy.shape, attrs, true);
    const arrays = kernelArrays(backendName, backend);
    const dw = depthwiseFilterGrad(g, arrays.read(x), arrays.read(dy), filterShape[3] as number);
    return arrays.output(filterShape, dw);
  };
}
