/**
 * Conv2DBackpropInput (NHWC, any strides / padding / dilation): scatters every output gradient back
 * through the taps that read an input pixel,
 *   dx[b, iy, ix, ci] = Σ over (oy, ox, ki, kj) with iy = oy*sh - padTop + ki*dh, ix = ox*sw - padLeft + kj*dw
 *                       of Σ_o W[ki, kj, ci, o] · dy[b, oy, ox, o].
 *
 * - CPU: register-tiled typed-array loops over per-tap offset lists (tap-product.ts), in float64.
 * - WASM: the same sum is a stride-1 convolution of dy (zero-stuffed between rows / columns when the
 *   forward stride is > 1) with the spatially flipped filter, channels swapped ([kh, kw, CO, C]), and
 *   explicit padding (kh-1)·dh - padTop etc.; the backend's Conv2D (XNNPACK) runs it. Configurations
 *   needing negative padding (explicit pads larger than the window) use the loops.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { TfCore } from '../load.js';
import { kernelArrays, type JsBackendName } from './access.js';
import { convGeometry, isNhwc, type ConvAttrs, type WindowGeometry } from './geometry.js';
import { accumulateTaps } from './tap-product.js';

/** Input gradient by plain loops; returns dx as [N, H, W, C] in float64. */
export function conv2dInputGrad(g: WindowGeometry, filter: Float32Array, dy: Float32Array, co: number): Float64Array {
  const dx = new Float64Array(g.n * g.h * g.w * g.c);
  // W [kh, kw, C, CO] is already [tap][out channel ci][from channel o]
  accumulateTaps(g, co, 'y-to-x', dy, filter, dx);
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
