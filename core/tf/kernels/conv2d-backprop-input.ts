/**
 * Conv2DBackpropInput (NHWC, any strides / padding / dilation): scatters every output gradient back
 * through the taps that read an input pixel,
 *   dx[b, iy, ix, ci] = Σ over (oy, ox, ki, kj) with iy = oy*sh - padTop + ki*dh, ix = ox*sw - padLeft + kj*dw
 *                       of Σ_o W[ki, kj, ci, o] · dy[b, oy, ox, o].
 *
 * - CPU: register-tiled typed-array loops over per-tap offset lists, accumulating in float64.
 * - WASM: the same sum is a stride-1 convolution of dy (zero-stuffed between rows / columns when the
 *   forward stride is > 1) with the spatially flipped filter, channels swapped ([kh, kw, CO, C]), and
 *   explicit padding (kh-1)·dh - padTop etc.; the backend's Conv2D (XNNPACK) runs it. Configurations
 *   needing negative padding (explicit pads larger than the window) use the loops.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { TfCore } from '../load.js';
import { kernelArrays, type JsBackendName } from './access.js';
import { convGeometry, isNhwc, tapOffsets, type ConvAttrs, type WindowGeometry } from './geometry.js';

/** Input gradient by plain loops; returns dx as [N, H, W, C] in float64. */
export function conv2dInputGrad(g: WindowGeometry, filter: Float32Array, dy: Float32Array, co: number): Float64Array {
  const { kh, kw, c } = g;
  const dx = new Float64Array(g.n * g.h * g.w * c);
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
            const d = (yo[p] as number) + o;
            const d0 = dy[d] as number, d1 = dy[d + 1] as number, d2 = dy[d + 2] as number, d3 = dy[d + 3] as number;
            const a = (xo[p] as number) + ci;
            dx[a] = (dx[a] as number) + w00 * d0 + w01 * d1 + w02 * d2 + w03 * d3;
            dx[a + 1] = (dx[a + 1] as number) + w10 * d0 + w11 * d1 + w12 * d2 + w13 * d3;
          }
        }
        for (; o < co; o++) {
          const w0 = filter[wOff + ci * co + o] as number;
          const w1 = filter[wOff + (ci + 1) * co + o] as number;
          for (let p = 0; p < cnt; p++) {
            const d = dy[(yo[p] as number) + o] as number;
            const a = (xo[p] as number) + ci;
            dx[a] = (dx[a] as number) + w0 * d;
            dx[a + 1] = (dx[a + 1] as number) + w1 * d;
          }
        }
      }
      for (; ci < c; ci++) {
        let o = 0;
        for (; o + 4 <= co; o += 4) {
          const r = wOff + ci * co + o;
          const w0 = filter[r] as number, w1 = filter[r + 1] as number, w2 = filter[r + 2] as number, w3 = filter[r + 3] as number;
          for (let p = 0; p < cnt; p++) {
            const d = (yo[p] as number) + o;
            const a = (xo[p] as number) + ci;
            dx[a] = (dx[a] as number) + w0 * (dy[d] as number) + w1 * (dy[d + 1] as number) + w2 * (dy[d + 2] as number) + w3 * (dy[d + 3] as number);
          }
        }
        for (; o < co; o++) {
          const w0 = filter[wOff + ci * co + o] as number;
          for (let p = 0; p < cnt; p++) {
            const a = (xo[p] as number) + ci;
            dx[a] = (dx[a] as number) + w0 * (dy[(yo[p] as number) + o] as number);
          }
        }
      }
    }
  }
  return dx;
}

/** W [kh, kw, C, CO] → W' [kh, kw, CO, C] with W'[a, b, o, ci] = W[kh-1-a, kw-1-b, ci, o]. */
export function flipFilter(filter: Float32Array, kh: number, kw: number, c: number, co: number, out: Float32Array): void {
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const src = ((kh - 1 - a) * kw + (kw - 1 - b)) * c * co;
      const dst = (a * kw + b) * co * c;
      for (let ci = 0; ci < c; ci++) {
        for (let o = 0; o < co; o++) out[dst + o * c + ci] = filter[src + ci * co + o] as number;
      }
    }
  }
}

/** Copies dy [N, OH, OW, CO] into out [N, (OH-1)·sh+1, (OW-1)·sw+1, CO], zeros between the pixels. */
export function zeroStuff(dy: Float32Array, g: WindowGeometry, co: number, out: Float32Array): void {
  const { n, oh, ow, sh, sw } = g;
  const sH = (oh - 1) * sh + 1;
  const sW = (ow - 1) * sw + 1;
  out.fill(0, 0, n * sH * sW * co);
  for (let b = 0; b < n; b++) {
    for (let y = 0; y < oh; y++) {
      for (let x = 0; x < ow; x++) {
        const src = ((b * oh + y) * ow + x) * co;
        const dst = ((b * sH + y * sh) * sW + x * sw) * co;
        for (let o = 0; o < co; o++) out[dst + o] = dy[src + o] as number;
      }
    }
  }
}

export function makeConv2DBackpropInput(tf: TfCore, backendName: JsBackendName, fallback?: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend } = args;
    const attrs = (args.attrs ?? {}) as ConvAttrs & { inputShape?: number[] };
    const dy = inputs['dy'];
    const filter = inputs['filter'];
    if (dy === undefined || filter === undefined) throw new Error('Conv2DBackpropInput: needs inputs dy and filter');
    if (!isNhwc(attrs)) {
      if (fallback !== undefined) return fallback(args);
      throw new Error('Conv2DBackpropInput: only NHWC (channelsLast) is supported on this backend');
    }
    const inputShape = attrs.inputShape;
    if (inputShape === undefined || inputShape.length !== 4) throw new Error('Conv2DBackpropInput: needs attr inputShape');
    const g = convGeometry(tf, inputShape, filter.shape, dy.shape, attrs, false);
    const co = filter.shape[3] as number;
    const arrays = kernelArrays(backendName, backend);
    const conv2d = backendName === 'wasm' ? tf.getKernel('Conv2D', 'wasm')?.kernelFunc : undefined;
    if (conv2d !== undefined && dy.dtype === 'float32' && filter.dtype === 'float32') {
      const { kh, kw, dh, dw, sh, sw } = g;
      const sH = (g.oh - 1) * sh + 1;
      const sW = (g.ow - 1) * sw + 1;
      const top = (kh - 1) * dh - g.padTop;
      const left = (kw - 1) * dw - g.padLeft;
      const bottom = g.h - sH - top + (kh - 1) * dh;
      const right = g.w - sW - left + (kw - 1) * dw;
      if (top >= 0 && left >= 0 && bottom >= 0 && right >= 0) {
        const c = g.c;
        const flipped = arrays.alloc([kh, kw, co, c]);
        const stuffed = sh === 1 && sw === 1 ? undefined : arrays.alloc([g.n, sH, sW, co]);
        flipFilter(arrays.read(filter), kh, kw, c, co, arrays.read(flipped));
        if (stuffed !== undefined) zeroStuff(arrays.read(dy), g, co, arrays.read(stuffed));
        const out = conv2d({
          inputs: { x: stuffed ?? dy, filter: flipped },
          backend,
          attrs: {
            strides: [1, 1],
            dilations: [dh, dw],
            pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
            dataFormat: 'NHWC',
          },
        }) as TensorInfo;
        arrays.dispose(flipped);
        if (stuffed !== undefined) arrays.dispose(stuffed);
        return out;
      }
    }
    const dx = conv2dInputGrad(g, arrays.read(filter), arrays.read(dy), co);
    return arrays.output(inputShape, dx);
  };
}
