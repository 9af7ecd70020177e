/**
 * Window geometry shared by the conv and pool gradient kernels (NHWC only). Output sizes and padding
 * come from TF.js's own `backend_util.computeConv2DInfo` / `computePool2DInfo`, so the gradients use
 * exactly the geometry the forward op used ('same', 'valid', a number, or explicit pads; rounding).
 */
import type { TfCore } from '../load.js';

type Pad = 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
type Shape4 = [number, number, number, number];

export interface WindowGeometry {
  /** input [N, H, W, C] */
  readonly n: number;
  readonly h: number;
  readonly w: number;
  readonly c: number;
  /** output spatial size */
  readonly oh: number;
  readonly ow: number;
  /** window (filter) size */
  readonly kh: number;
  readonly kw: number;
  readonly sh: number;
  readonly sw: number;
  readonly dh: number;
  readonly dw: number;
  /** zeros added before the first row / column */
  readonly padTop: number;
  readonly padLeft: number;
}

export interface ConvAttrs {
  strides?: unknown;
  dilations?: unknown;
  pad?: unknown;
  dimRoundingMode?: unknown;
  dataFormat?: unknown;
}

export function isNhwc(attrs: ConvAttrs): boolean {
  return attrs.dataFormat === undefined || attrs.dataFormat === 'NHWC' || attrs.dataFormat === 'channelsLast';
}

function rounding(v: unknown): 'floor' | 'round' | 'ceil' | undefined {
  return v === 'floor' || v === 'round' || v === 'ceil' ? v : undefined;
}

function pair(v: unknown, fallback: number): number | [number, number] {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'number') return v;
  if (Array.isArray(v) && v.length === 2) return [Number(v[0]), Number(v[1])];
  throw new Error(`gradient kernel: bad strides/dilations ${JSON.stringify(v)}`);
}

function shape4(s: readonly number[], what: string): Shape4 {
  if (s.length !== 4) throw new Error(`gradient kernel: ${what} must be rank 4, got [${s.join(',')}]`);
  return [s[0] ?? 0, s[1] ?? 0, s[2] ?? 0, s[3] ?? 0];
}

/**
 * Geometry of a conv2d (or depthwise, where filterShape is [kh, kw, C, multiplier]) forward pass with
 * input `xShape`; checks that `dyShape` is its output shape.
 */
export function convGeometry(
  tf: TfCore,
  xShape: readonly number[],
  filterShape: readonly number[],
  dyShape: readonly number[],
  attrs: ConvAttrs,
  depthwise: boolean,
): WindowGeometry {
  const { g, outShape } = convForwardGeometry(tf, xShape, filterShape, attrs, depthwise);
  checkOut(dyShape, outShape);
  return g;
}

export function poolGeometry(
  tf: TfCore,
  xShape: readonly number[],
  dyShape: readonly number[],
  attrs: { filterSize?: unknown; strides?: unknown; pad?: unknown; dimRoundingMode?: unknown },
): WindowGeometry {
  const info = tf.backend_util.computePool2DInfo(
    shape4(xShape, 'input'),
    pair(attrs.filterSize, 1),
    pair(attrs.strides, 1),
    1,
    (attrs.pad ?? 'valid') as Pad,
    rounding(attrs.dimRoundingMode),
  );
  const g = fromInfo(info);
  checkOut(dyShape, info.outShape);
  return g;
}

/** Geometry and output shape [N, OH, OW, CO] of a conv2d (or depthwise) forward pass. */
export function convForwardGeometry(
  tf: TfCore,
  xShape: readonly number[],
  filterShape: readonly number[],
  attrs: ConvAttrs,
  depthwise = false,
): { g: WindowGeometry; outShape: number[] } {
  const info = tf.backend_util.computeConv2DInfo(
    shape4(xShape, 'input'),
    shape4(filterShape, 'filter'),
    pair(attrs.strides, 1),
    pair(attrs.dilations, 1),
    (attrs.pad ?? 'valid') as Pad,
    rounding(attrs.dimRoundingMode),
    depthwise,
  );
  return { g: fromInfo(info), outShape: [...info.outShape] };
}

function fromInfo(info: ReturnType<TfCore['backend_util']['computeConv2DInfo']>): WindowGeometry {
  return {
    n: info.batchSize,
    h: info.inHeight,
    w: info.inWidth,
    c: info.inChannels,
    oh: info.outHeight,
    ow: info.outWidth,
    kh: info.filterHeight,
    kw: info.filterWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    dh: info.dilationHeight,
    dw: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

function checkOut(dyShape: readonly number[], outShape: readonly number[]): void {
  if (dyShape.length !== 4 || dyShape.some((d, i) => d !== outShape[i])) {
    throw new Error(`gradient kernel: dy shape [${dyShape.join(',')}] is not the forward output [${outShape.join(',')}]`);
  }
}

/**
 * For one kernel tap (ki, kj): fills `xo` with the element offset of the input pixel the tap reads
 * for every output position whose tap falls inside the input, and `yo` with that output position's
 * element offset, in output order. `xChannels` / `yChannels` are the channel counts of the input and
 * output tensors. Returns how many pairs were written (pairs with the tap in the padding are skipped).
 */
export function tapOffsets(
  g: WindowGeometry,
  ki: number,
  kj: number,
  xChannels: number,
  yChannels: number,
  xo: Int32Array,
  yo: Int32Array,
): number {
  const { n, h, w, oh, ow, sh, sw, padTop, padLeft } = g;
  const rowShift = ki * g.dh - padTop;
  const colShift = kj * g.dw - padLeft;
  // output columns whose tap lands inside [0, w): 0 <= ox*sw + colShift <= w-1
  const oxLo = colShift >= 0 ? 0 : Math.ceil(-colShift / sw);
  const oxHi = Math.min(ow, Math.floor((w - 1 - colShift) / sw) + 1);
  let cnt = 0;
  if (oxHi <= oxLo) return 0;
  for (let b = 0; b < n; b++) {
    for (let oy = 0; oy < oh; oy++) {
      const iy = oy * sh + rowShift;
      if (iy < 0 || iy >= h) continue;
      let xOff = ((b * h + iy) * w + oxLo * sw + colShift) * xChannels;
      let yOff = ((b * oh + oy) * ow + oxLo) * yChannels;
      const xStep = sw * xChannels;
      for (let ox = oxLo; ox < oxHi; ox++) {
        xo[cnt] = xOff;
        yo[cnt] = yOff;
        cnt++;
        xOff += xStep;
        yOff += yChannels;
      }
    }
  }
  return cnt;
}
