/**
 * DepthwiseConv2dNativeBackpropInput (NHWC; filter [kh, kw, C, mult]):
 *   dx[b, iy, ix, ci] = Σ over taps reading (iy, ix) of Σ_q W[ki, kj, ci, q] · dy[b, oy, ox, ci*mult + q].
 *
 * - CPU: typed-array loops over per-tap offset lists, accumulating in float64.
 * - WASM: a stride-1 depthwise convolution (the backend's XNNPACK DepthwiseConv2dNative) of dy —
 *   zero-stuffed when the forward stride is > 1 — with the spatially flipped filter seen as
 *   [kh, kw, C·mult, 1] and explicit padding (kh-1)·dh - padTop etc.; for mult > 1 each group of
 *   mult output channels is then summed. Negative padding (pads wider than the window) uses the loops.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { TfCore } from '../load.js';
import { kernelArrays, type JsBackendName } from './access.js';
import { zeroStuff } from './conv2d-backprop-input.js';
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
    const mult = filter.shape[3] as number;
    const depthwise = backendName === 'wasm' ? tf.getKernel('DepthwiseConv2dNative', 'wasm')?.kernelFunc : undefined;
    if (depthwise !== undefined && dy.dtype === 'float32' && filter.dtype === 'float32') {
      const { kh, kw, dh, dw, sh, sw, c } = g;
      const sH = (g.oh - 1) * sh + 1;
      const sW = (g.ow - 1) * sw + 1;
      const top = (kh - 1) * dh - g.padTop;
      const left = (kw - 1) * dw - g.padLeft;
      const bottom = g.h - sH - top + (kh - 1) * dh;
      const right = g.w - sW - left + (kw - 1) * dw;
      if (top >= 0 && left >= 0 && bottom >= 0 && right >= 0) {
        const co = c * mult;
        const flipped = arrays.alloc([kh, kw, co, 1]);
        const stuffed = sh === 1 && sw === 1 ? undefined : arrays.alloc([g.n, sH, sW, co]);
        const src = arrays.read(filter);
        const dst = arrays.read(flipped);
        for (let a = 0; a < kh; a++) {
          for (let b = 0; b < kw; b++) {
            const from = ((kh - 1 - a) * kw + (kw - 1 - b)) * co;
            const to = (a * kw + b) * co;
            for (let i = 0; i < co; i++) dst[to + i] = src[from + i] as number;
          }
        }
        if (stuffed !== undefined) zeroStuff(arrays.read(dy), g, co, arrays.read(stuffed));
        const full = depthwise({
          inputs: { x: stuffed ?? dy, filter: flipped },
          backend,
          attrs: { strides: [1, 1], dilations: [dh, dw], pad: [[0, 0], [top, bottom], [left, right], [0, 0]] },
        }) as TensorInfo;
        arrays.dispose(flipped);
        if (stuffed !== undefined) arrays.dispose(stuffed);
        if (mult === 1) return full;
        // sum each group of mult channels: [N, H, W, C·mult] → [N, H, W, C]
        const out = arrays.alloc(inputShape);
        const fullV = arrays.read(full);
        const outV = arrays.read(out);
        for (let p = 0, q = 0; p < outV.length; p++) {
          let sum = 0;
          for (let k = 0; k < mult; k++, q++) sum += fullV[q] as number;
          outV[p] = sum;
        }
        arrays.dispose(full);
        return out;
      }
    }
    const dx = depthwiseInputGrad(g, arrays.read(filter), arrays.read(dy), mult);
    return arrays.output(inputShape, dx);
  };
}
