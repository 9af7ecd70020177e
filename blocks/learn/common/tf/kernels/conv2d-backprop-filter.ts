/**
 * Conv2DBackpropFilter (NHWC, any strides / padding / dilation):
 *   dW[ki, kj, ci, o] = Σ_{b, oy, ox} x[b, oy*sh - padTop + ki*dh, ox*sw - padLeft + kj*dw, ci] · dy[b, oy, ox, o]
 * (taps that fall into the padding contribute nothing).
 *
 * - CPU: register-tiled typed-array loops over per-tap offset lists, accumulating in float64.
 * - WASM: the patches are written transposed (colT [K, M], K = kh·kw·C, M = N·OH·OW) straight into
 *   the heap from a channel-major copy of x (the backend's Transpose), then the backend's BatchMatMul
 *   (XNNPACK) computes colT · dy[M, CO] = dW[K, CO], which already is the filter layout
 *   [kh, kw, C, CO]. (Measured alternatives: a Conv2D with batch and channels swapped, dy as the
 *   filter, was 1.8–5× slower; a transposed-A matmul on row-major patches ~10× slower.)
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { TfCore } from '../load.js';
import { kernelArrays, type JsBackendName } from './access.js';
import { convGeometry, isNhwc, tapOffsets, type ConvAttrs, type WindowGeometry } from './geometry.js';

/** Filter gradient by plain loops; returns dW as [kh, kw, C, CO] in float64. */
export function conv2dFilterGrad(g: WindowGeometry, x: Float32Array, dy: Float32Array, co: number): Float64Array {
  const { kh, kw, c } = g;
  const acc = new Float64Array(kh * kw * c * co);
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
          let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
          for (let p = 0; p < cnt; p++) {
            const a = (xo[p] as number) + ci;
            const d = (yo[p] as number) + o;
            const a0 = x[a] as number, a1 = x[a + 1] as number;
            const d0 = dy[d] as number, d1 = dy[d + 1] as number, d2 = dy[d + 2] as number, d3 = dy[d + 3] as number;
            s00 += a0 * d0; s01 += a0 * d1; s02 += a0 * d2; s03 += a0 * d3;
            s10 += a1 * d0; s11 += a1 * d1; s12 += a1 * d2; s13 += a1 * d3;
          }
          const r0 = wOff + ci * co + o;
          const r1 = r0 + co;
          acc[r0] = s00; acc[r0 + 1] = s01; acc[r0 + 2] = s02; acc[r0 + 3] = s03;
          acc[r1] = s10; acc[r1 + 1] = s11; acc[r1 + 2] = s12; acc[r1 + 3] = s13;
        }
        for (; o < co; o++) {
          let s0 = 0, s1 = 0;
          for (let p = 0; p < cnt; p++) {
            const a = (xo[p] as number) + ci;
            const d = dy[(yo[p] as number) + o] as number;
            s0 += (x[a] as number) * d;
            s1 += (x[a + 1] as number) * d;
          }
          acc[wOff + ci * co + o] = s0;
          acc[wOff + (ci + 1) * co + o] = s1;
        }
      }
      for (; ci < c; ci++) {
        let o = 0;
        for (; o + 8 <= co; o += 8) {
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
          for (let p = 0; p < cnt; p++) {
            const a = x[(xo[p] as number) + ci] as number;
            const d = (yo[p] as number) + o;
            s0 += a * (dy[d] as number); s1 += a * (dy[d + 1] as number);
            s2 += a * (dy[d + 2] as number); s3 += a * (dy[d + 3] as number);
            s4 += a * (dy[d + 4] as number); s5 += a * (dy[d + 5] as number);
            s6 += a * (dy[d + 6] as number); s7 += a * (dy[d + 7] as number);
          }
          const r = wOff + ci * co + o;
          acc[r] = s0; acc[r + 1] = s1; acc[r + 2] = s2; acc[r + 3] = s3;
          acc[r + 4] = s4; acc[r + 5] = s5; acc[r + 6] = s6; acc[r + 7] = s7;
        }
        for (; o < co; o++) {
          let s = 0;
          for (let p = 0; p < cnt; p++) s += (x[(xo[p] as number) + ci] as number) * (dy[(yo[p] as number) + o] as number);
          acc[wOff + ci * co + o] = s;
        }
      }
    }
  }
  return acc;
}

/**
 * dst[dstStart + i] = src[srcStart + i] for i in [0, len) where the source index is inside `src`
 * (other positions are left as they are). Same-buffer copies (two WASM heap views) use
 * `copyWithin`, which allocates nothing.
 */
function copyRange(dst: Float32Array, dstStart: number, src: Float32Array, srcStart: number, len: number): void {
  const from = Math.max(0, -srcStart);
  const to = Math.min(len, src.length - srcStart);
  if (to <= from) return;
  if (dst.buffer === src.buffer) {
    const heap = new Float32Array(dst.buffer);
    const d = dst.byteOffset / 4 + dstStart;
    const s = src.byteOffset / 4 + srcStart;
    heap.copyWithin(d + from, s + from, s + to);
  } else {
    dst.set(src.subarray(srcStart + from, srcStart + to), dstStart + from);
  }
}

/**
 * Writes the transposed patch matrix colT [K, M] (row k = (ki, kj, ci), column m = (b, oy, ox)) into
 * `out`, zeros where the tap lies in the padding. The input comes channel-major, `planes` =
 * [C, N, H, W], so every row of colT is a shifted copy of one plane: with stride 1 and OW = W each
 * image's block is one copy (the whole row when also OH = H), after which the rows and columns
 * that wrapped around are zeroed.
 */
export function im2colTransposed(g: WindowGeometry, planes: Float32Array, out: Float32Array): void {
  const { n, h, w, c, oh, ow, kh, kw, sh, sw, padTop, padLeft } = g;
  const m = n * oh * ow;
  const plane = n * h * w;
  const blockCopy = sh === 1 && sw === 1 && ow === w;
  const rowCopy = blockCopy && oh === h;
  for (let ki = 0; ki < kh; ki++) {
    const rowShift = ki * g.dh - padTop;
    const oyLo = rowShift >= 0 ? 0 : Math.ceil(-rowShift / sh);
    const oyHi = Math.min(oh, Math.floor((h - 1 - rowShift) / sh) + 1);
    for (let kj = 0; kj < kw; kj++) {
      const colShift = kj * g.dw - padLeft;
      const oxLo = colShift >= 0 ? 0 : Math.ceil(-colShift / sw);
      const oxHi = Math.min(ow, Math.floor((w - 1 - colShift) / sw) + 1);
      const wrapped = oxLo > 0 || oxHi < ow;
      for (let ci = 0; ci < c; ci++) {
        const row = ((ki * kw + kj) * c + ci) * m;
        if (oyHi <= oyLo || oxHi <= oxLo) {
          out.fill(0, row, row + m);
          continue;
        }
        if (rowCopy) copyRange(out, row, planes, ci * plane + rowShift * w + colShift, m);
        for (let b = 0; b < n; b++) {
          const dst = row + b * oh * ow;
          const src = ci * plane + b * h * w;
          if (blockCopy) {
            if (!rowCopy) copyRange(out, dst + oyLo * ow, planes, src + (oyLo + rowShift) * w + colShift, (oyHi - oyLo) * ow);
            if (wrapped) {
              for (let oy = oyLo; oy < oyHi; oy++) {
                const r = dst + oy * ow;
                for (let ox = 0; ox < oxLo; ox++) out[r + ox] = 0;
                for (let ox = oxHi; ox < ow; ox++) out[r + ox] = 0;
              }
            }
          } else {
            for (let oy = oyLo; oy < oyHi; oy++) {
              const r = dst + oy * ow;
              const sRow = src + (oy * sh + rowShift) * w + colShift;
              for (let ox = 0; ox < oxLo; ox++) out[r + ox] = 0;
              for (let ox = oxLo; ox < oxHi; ox++) out[r + ox] = planes[sRow + ox * sw] as number;
              for (let ox = oxHi; ox < ow; ox++) out[r + ox] = 0;
            }
          }
          // loops, not fill(): these are a few values per image, and a call per image per row dominated 1-D convs
          for (let i = dst, end = dst + oyLo * ow; i < end; i++) out[i] = 0;
          for (let i = dst + oyHi * ow, end = dst + oh * ow; i < end; i++) out[i] = 0;
        }
      }
    }
  }
}

export function makeConv2DBackpropFilter(tf: TfCore, backendName: JsBackendName, fallback?: KernelFunc): KernelFunc {
  return (args) => {
    const { inputs, backend } = args;
    const attrs = (args.attrs ?? {}) as ConvAttrs & { filterShape?: number[] };
    const x = inputs['x'];
    const dy = inputs['dy'];
    if (x === undefined || dy === undefined) throw new Error('Conv2DBackpropFilter: needs inputs x and dy');
    if (!isNhwc(attrs)) {
      if (fallback !== undefined) return fallback(args);
      throw new Error('Conv2DBackpropFilter: only NHWC (channelsLast) is supported on this backend');
    }
    const filterShape = attrs.filterShape;
    if (filterShape === undefined || filterShape.length !== 4) throw new Error('Conv2DBackpropFilter: needs attr filterShape');
    const g = convGeometry(tf, x.shape, filterShape, dy.shape, attrs, false);
    const co = filterShape[3] as number;
    const arrays = kernelArrays(backendName, backend);
    // looked up per call: whatever the backend runs for these ops now
    const matMul = backendName === 'wasm' ? tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc : undefined;
    const transpose = backendName === 'wasm' ? tf.getKernel('Transpose', 'wasm')?.kernelFunc : undefined;
    if (matMul !== undefined && transpose !== undefined && x.dtype === 'float32' && dy.dtype === 'float32') {
      const m = g.n * g.oh * g.ow;
      const k = g.kh * g.kw * g.c;
      const planes =
        g.c === 1 ? x : (transpose({ inputs: { x }, backend, attrs: { perm: [3, 0, 1, 2] } }) as TensorInfo);
      const colT = arrays.alloc([k, m]);
      // Views only after the allocation: it may have grown (and detached) the heap.
      im2colTransposed(g, arrays.read(planes), arrays.read(colT));
      if (planes !== x) arrays.dispose(planes);
      const dy2: TensorInfo = { dataId: dy.dataId, shape: [m, co], dtype: dy.dtype };
      const prod = matMul({ inputs: { a: colT, b: dy2 }, backend, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
      arrays.dispose(colT);
      return { dataId: prod.dataId, shape: [...filterShape], dtype: 'float32' };
    }
    const dw = conv2dFilterGrad(g, arrays.read(x), arrays.read(dy), co);
    return arrays.output(filterShape, dw);
  };
}
