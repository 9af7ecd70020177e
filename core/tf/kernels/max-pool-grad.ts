/**
 * MaxPoolGrad (NHWC): each output gradient goes to the input pixel that won its window (the first
 * maximum in row-major window order, as TF does); windows skip padded positions.
 * Typed-array loops (both backends). The WASM backend's C++ MaxPoolWithArgmax would find the winners
 * faster, but (4.22) it starts each window's running maximum at FLT_MIN (1.2e-38) instead of -∞, so a
 * window whose values are all ≤ 0 — common after ReLU — reports index 0 of the whole tensor; the
 * stock WASM MaxPoolGrad loses those windows' gradients.
 */
import type { KernelFunc } from '@tensorflow/tfjs-core';
import type { TfCore } from '../load.js';
import { kernelArrays, type JsBackendName } from './access.js';
import { poolGeometry, type WindowGeometry } from './geometry.js';

/**
 * Adds each output gradient to `dx` (zeroed, [N, H, W, C]) at the first position of its window that
 * holds the window's maximum. With the forward output `y` that is the first position equal to y
 * (one predictable comparison per tap); without it, or when no tap matches (NaN), a running argmax.
 */
export function maxPoolInputGrad(
  g: WindowGeometry,
  x: Float32Array,
  y: Float32Array | undefined,
  dy: Float32Array,
  dx: Float32Array,
): void {
  const { n, h, w, c, oh, ow, kh, kw, sh, sw, padTop, padLeft } = g;
  let d = 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const y0 = oy * sh - padTop;
      const yLo = Math.max(0, y0);
      const yHi = Math.min(h, y0 + kh);
      for (let ox = 0; ox < ow; ox++, d += c) {
        const x0 = ox * sw - padLeft;
        const xLo = Math.max(0, x0);
        const xHi = Math.min(w, x0 + kw);
        if (yLo >= yHi || xLo >= xHi) continue;
        const rowStep = w * c;
        const start = ((b * h + yLo) * w + xLo) * c;
        for (let ci = 0; ci < c; ci++) {
          let at = -1;
          if (y !== undefined) {
            const target = y[d + ci] as number;
            search: for (let iy = yLo, r = start + ci; iy < yHi; iy++, r += rowStep) {
              for (let ix = xLo, off = r; ix < xHi; ix++, off += c) {
                if (x[off] === target) {
                  at = off;
                  break search;
                }
              }
            }
          }
          if (at < 0) {
            let best = -Infinity;
            for (let iy = yLo, r = start + ci; iy < yHi; iy++, r += rowStep) {
              for (let ix = xLo, off = r; ix < xHi; ix++, off += c) {
                const v = x[off] as number;
                if (at < 0 || v > best) {
                  best = v;
                  at = off;
                }
              }
            }
          }
          dx[at] = (dx[at] as number) + (dy[d + ci] as number);
        }
      }
    }
  }
}

export function makeMaxPoolGrad(tf: TfCore, backendName: JsBackendName): KernelFunc {
  return (args) => {
    const { inputs, backend } = args;
    const attrs = (args.attrs ?? {}) as { filterSize?: unknown; strides?: unknown; pad?: unknown; dimRoundingMode?: unknown };
    const dy = inputs['dy'];
    const x = inputs['input'];
    const y = inputs['output'];
    if (dy === undefined || x === undefined) throw new Error('MaxPoolGrad: needs inputs dy and input');
    const g = poolGeometry(tf, x.shape, dy.shape, attrs);
    const arrays = kernelArrays(backendName, backend);
    const out = arrays.alloc(x.shape);
    // views after the allocation (a WASM heap may have grown)
    const dx = arrays.read(out);
    dx.fill(0);
    maxPoolInputGrad(g, arrays.read(x), y === undefined ? undefined : arrays.read(y), arrays.read(dy), dx);
    return out;
  };
}
