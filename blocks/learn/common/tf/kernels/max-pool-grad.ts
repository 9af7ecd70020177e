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

/**
 * True when the windows tile the input: stride = size and no padding before the first row / column
 * (the usual 2×2 stride-2 pool, and 1-D pools as [N, L, 1, C] with 2×1). Windows may run past the
 * bottom / right edge ('same' padding of an odd size).
 */
export function windowsTile(g: WindowGeometry): boolean {
  return g.sh === g.kh && g.sw === g.kw && g.padTop === 0 && g.padLeft === 0;
}

/**
 * maxPoolInputGrad when the windows tile the input: each input pixel belongs to at most one window,
 * so one pass writes every covered pixel — its window's gradient at the winner, 0 elsewhere —
 * without zeroing dx first or accumulating. Rows / columns no window covers (odd sizes, 'valid')
 * are zeroed. Same winner rule as maxPoolInputGrad (first tap equal to the window's output; running
 * argmax when none is, i.e. NaN).
 *
 * Branch-free inside the input: the taps' order in a window is random data, so a search that stops
 * at the winner mispredicts a branch per window. The 2×2 and 2×1 windows (unrolled) zero dx first
 * and write only the winner, at an offset computed from the 0/1 comparisons; other sizes write
 * every tap as `mask · dy + 0` (+0, never −0). A non-finite dy (0 · ∞ is NaN) and windows crossing
 * the edge take the plain search.
 */
export function maxPoolInputGradTiled(g: WindowGeometry, x: Float32Array, y: Float32Array, dy: Float32Array, dx: Float32Array): void {
  const { n, h, w, c, oh, ow, kh, kw } = g;
  const rowStep = w * c;
  const taps = kh * kw;
  const tapOffset = new Int32Array(taps);
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) tapOffset[i * kw + j] = i * rowStep + j * c;
  // one specialised loop over the channels of a window, chosen once (not per element)
  const inner = kh === 2 && kw === 2 ? windowSquare2 : kh === 2 && kw === 1 ? windowColumn2 : windowAny;
  // the unrolled windows write only their winner
  if (oh * kh < h || ow * kw < w || inner !== windowAny) dx.fill(0);
  let d = 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const rowsIn = Math.min(kh, h - oy * kh);
      for (let ox = 0; ox < ow; ox++, d += c) {
        const base = ((b * h + oy * kh) * w + ox * kw) * c;
        const colsIn = Math.min(kw, w - ox * kw);
        if (rowsIn < kh || colsIn < kw) {
          for (let ci = 0; ci < c; ci++) edgeWindow(x, dx, base + ci, rowsIn, colsIn, rowStep, c, y[d + ci] as number, dy[d + ci] as number);
        } else {
          inner(x, y, dy, dx, base, d, c, rowStep, tapOffset, kh, kw);
        }
      }
    }
  }
}

type WindowChannels = (x: Float32Array, y: Float32Array, dy: Float32Array, dx: Float32Array, base: number, d: number, c: number, rowStep: number, tapOffset: Int32Array, kh: number, kw: number) => void;

/**
 * The c channels of one 2×2 window, unrolled: dx is zeroed beforehand, so only the winner is
 * written, at the tap picked by arithmetic on the four comparisons (no branch on them).
 */
const windowSquare2: WindowChannels = (x, y, dy, dx, base, d, c, rowStep, _tapOffset, kh, kw) => {
  const o2 = rowStep;
  const o3 = rowStep + c;
  for (let ci = 0; ci < c; ci++) {
    const o = base + ci;
    const target = y[d + ci] as number;
    const grad = dy[d + ci] as number;
    const n0 = +(x[o] !== target);
    const n1 = +(x[o + c] !== target);
    const n2 = +(x[o + o2] !== target);
    const n3 = +(x[o + o3] !== target);
    if ((n0 & n1 & n2 & n3) === 1 || grad - grad !== 0) {
      edgeWindow(x, dx, o, kh, kw, rowStep, c, target, grad);
      continue;
    }
    // the first equal tap: 0 if n0 = 0, else c if n1 = 0, else rowStep if n2 = 0, else rowStep + c
    const at = n0 * (c + n1 * (o2 - c + n2 * c));
    dx[o + at] = grad + 0;
  }
};

/** The c channels of one 2×1 window (1-D pools, as [N, L, 1, C]); dx is zeroed beforehand. */
const windowColumn2: WindowChannels = (x, y, dy, dx, base, d, c, rowStep, _tapOffset, kh, kw) => {
  for (let ci = 0; ci < c; ci++) {
    const o = base + ci;
    const target = y[d + ci] as number;
    const grad = dy[d + ci] as number;
    const n0 = +(x[o] !== target);
    const n1 = +(x[o + rowStep] !== target);
    if ((n0 & n1) === 1 || grad - grad !== 0) {
      edgeWindow(x, dx, o, kh, kw, rowStep, c, target, grad);
      continue;
    }
    dx[o + n0 * rowStep] = grad + 0;
  }
};

/** The c channels of one window of any size. */
const windowAny: WindowChannels = (x, y, dy, dx, base, d, c, rowStep, tapOffset, kh, kw) => {
  const taps = tapOffset.length;
  for (let ci = 0; ci < c; ci++) {
    const o = base + ci;
    const target = y[d + ci] as number;
    const grad = dy[d + ci] as number;
    let found = 0;
    for (let t = 0; t < taps; t++) {
      const off = o + (tapOffset[t] as number);
      const e = +(x[off] === target) & (found ^ 1);
      dx[off] = e * grad + 0;
      found |= e;
    }
    if (found === 0 || grad - grad !== 0) edgeWindow(x, dx, o, kh, kw, rowStep, c, target, grad);
  }
};

/**
 * One window the plain way, over its rows × cols taps inside the input (starting at offset o):
 * zeros, then the gradient at the first tap equal to target, else at the running argmax.
 */
function edgeWindow(x: Float32Array, dx: Float32Array, o: number, rows: number, cols: number, rowStep: number, c: number, target: number, grad: number): void {
  let at = -1;
  for (let i = 0, r = o; i < rows; i++, r += rowStep) {
    for (let j = 0, off = r; j < cols; j++, off += c) {
      dx[off] = 0;
      if (at < 0 && x[off] === target) at = off;
    }
  }
  if (at < 0) {
    let best = -Infinity;
    for (let i = 0, r = o; i < rows; i++, r += rowStep) {
      for (let j = 0, off = r; j < cols; j++, off += c) {
        const v = x[off] as number;
        if (at < 0 || v > best) {
          best = v;
          at = off;
        }
      }
    }
  }
  dx[at] = grad;
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
    if (y !== undefined && windowsTile(g)) {
      maxPoolInputGradTiled(g, arrays.read(x), arrays.read(y), arrays.read(dy), dx);
    } else {
      dx.fill(0);
      maxPoolInputGrad(g, arrays.read(x), y === undefined ? undefined : arrays.read(y), arrays.read(dy), dx);
    }
    return out;
  };
}
