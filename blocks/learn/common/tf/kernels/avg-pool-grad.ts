/**
 * AvgPoolGrad (NHWC): each output gradient is shared equally by the input pixels of its window.
 * The divisor is the number of window positions inside the input, which is what the TF.js forward
 * AvgPool (CPU and WASM) divides by. (Stock TF.js 4.22 AvgPoolGrad divides by kh·kw on both
 * backends, which is wrong at the borders with 'same' or explicit padding.)
 * Typed-array loops (both backends), accumulating in float64.
 */
import type { KernelFunc } from '@tensorflow/tfjs-core';
import type { TfCore } from '../load.js';
import { kernelArrays, type JsBackendName } from './access.js';
import { poolGeometry, type WindowGeometry } from './geometry.js';

export function avgPoolInputGrad(g: WindowGeometry, dy: Float32Array): Float64Array {
  const { n, h, w, c, oh, ow, kh, kw, sh, sw, padTop, padLeft } = g;
  const dx = new Float64Array(n * h * w * c);
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * sh - padTop;
      const yLo = Math.max(0, y0);
      const yHi = Math.min(h, y0 + kh);
      for (let ox = 0; ox < ow; ox++) {
        const x0 = ox * sw - padLeft;
        const xLo = Math.max(0, x0);
        const xHi = Math.min(w, x0 + kw);
        const count = (yHi - yLo) * (xHi - xLo);
        if (count <= 0) continue;
        const scale = 1 / count;
        const d = ((b * oh + oy) * ow + ox) * c;
        for (let iy = yLo; iy < yHi; iy++) {
          let off = ((b * h + iy) * w + xLo) * c;
          for (let ix = xLo; ix < xHi; ix++, off += c) {
            for (let ci = 0; ci < c; ci++) dx[off + ci] = (dx[off + ci] as number) + (dy[d + ci] as number) * scale;
          }
        }
      }
    }
  }
  return dx;
}

export function makeAvgPoolGrad(tf: TfCore, backendName: JsBackendName): KernelFunc {
  return (args) => {
    const { inputs, backend } = args;
    const attrs = (args.attrs ?? {}) as { filterSize?: unknown; strides?: unknown; pad?: unknown; dimRoundingMode?: unknown };
    const dy = inputs['dy'];
    const x = inputs['input'];
    if (dy === undefined || x === undefined) throw new Error('AvgPoolGrad: needs inputs dy and input');
    const g = poolGeometry(tf, x.shape, dy.shape, attrs);
    const arrays = kernelArrays(backendName, backend);
    return arrays.output(x.shape, avgPoolInputGrad(g, arrays.read(dy)));
  };
}
