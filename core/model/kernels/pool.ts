/**
 * MAX_POOL_2D and AVERAGE_POOL_2D (and the global average pool, a window over the whole plane),
 * NHWC, batch 1, per channel over the taps inside the image. Input and output share their
 * quantization (TFLite requires it), so the int8 kernels need no requantization: the average is
 * the integer sum divided by the tap count, rounded half away from zero as TFLite Micro's
 * reference AveragePool does. Twin C: pool_s8.c and pool_f32.c.
 */
import type { GlobalAvgPoolOp, ModelIR, Pool2dOp } from '../ir.js';
import { clamp } from './fixed-point.js';
import { windowGeometry, type WindowGeometry } from './geometry.js';
import { floatActivationRange, int8ActivationRange } from './quant-params.js';

export interface PoolParams extends WindowGeometry {
  readonly channels: number;
  readonly actMin: number;
  readonly actMax: number;
}

function geometryOf(model: ModelIR, op: Pool2dOp | GlobalAvgPoolOp): WindowGeometry & { channels: number } {
  const input = model.tensors[op.inputs[0]!]!;
  const [, h, w, channels] = input.shape as [number, number, number, number];
  if (op.op === 'globalAvgPool') return { ...windowGeometry(input.shape, [h, w], [1, 1], [1, 1], 'valid'), channels };
  return { ...windowGeometry(input.shape, op.filter, op.stride, [1, 1], op.padding), channels };
}

export function preparePoolFloat(model: ModelIR, op: Pool2dOp | GlobalAvgPoolOp): PoolParams {
  const act = floatActivationRange(op.op === 'globalAvgPool' ? 'none' : op.activation);
  return { ...geometryOf(model, op), actMin: act.min, actMax: act.max };
}

export function preparePoolInt8(model: ModelIR, op: Pool2dOp | GlobalAvgPoolOp): PoolParams {
  const act = int8ActivationRange(op.op === 'globalAvgPool' ? 'none' : op.activation, model.tensors[op.outputs[0]!]!);
  return { ...geometryOf(model, op), actMin: act.min, actMax: act.max };
}

/** Visits the in-image taps of output position (oy, ox): calls `tap(inputIndexOfChannel0)`; returns the tap count. */
function forEachTap(p: PoolParams, oy: number, ox: number, tap: (base: number) => void): number {
  const y0 = oy * p.strideH - p.padTop;
  const x0 = ox * p.strideW - p.padLeft;
  const yStart = Math.max(0, -y0);
  const yEnd = Math.min(p.kH, p.inH - y0);
  const xStart = Math.max(0, -x0);
  const xEnd = Math.min(p.kW, p.inW - x0);
  for (let ky = yStart; ky < yEnd; ky++) for (let kx = xStart; kx < xEnd; kx++) tap(((y0 + ky) * p.inW + x0 + kx) * p.channels);
  return Math.max(0, yEnd - yStart) * Math.max(0, xEnd - xStart);
}

export function maxPoolFloat(p: PoolParams, input: Float32Array, output: Float32Array): void {
  const best = new Float32Array(p.channels);
  for (let oy = 0; oy < p.outH; oy++) {
    for (let ox = 0; ox < p.outW; ox++) {
      best.fill(-Infinity);
      forEachTap(p, oy, ox, (base) => {
        for (let c = 0; c < p.channels; c++) if (input[base + c]! > best[c]!) best[c] = input[base + c]!;
      });
      const outBase = (oy * p.outW + ox) * p.channels;
      for (let c = 0; c < p.channels; c++) output[outBase + c] = clamp(best[c]!, p.actMin, p.actMax);
    }
  }
}

export function avgPoolFloat(p: PoolParams, input: Float32Array, output: Float32Array): void {
  const sum = new Float32Array(p.channels); // float32 sums, as the C twin
  for (let oy = 0; oy < p.outH; oy++) {
    for (let ox = 0; ox < p.outW; ox++) {
      sum.fill(0);
      const count = forEachTap(p, oy, ox, (base) => {
        for (let c = 0; c < p.channels; c++) sum[c] = sum[c]! + input[base + c]!;
      });
      const outBase = (oy * p.outW + ox) * p.channels;
      for (let c = 0; c < p.channels; c++) output[outBase + c] = clamp(Math.fround(sum[c]! / count), p.actMin, p.actMax);
    }
  }
}

export function maxPoolInt8(p: PoolParams, input: Int8Array, output: Int8Array): void {
  const best = new Int32Array(p.channels);
  for (let oy = 0; oy < p.outH; oy++) {
    for (let ox = 0; ox < p.outW; ox++) {
      best.fill(-128);
      forEachTap(p, oy, ox, (base) => {
        for (let c = 0; c < p.channels; c++) if (input[base + c]! > best[c]!) best[c] = input[base + c]!;
      });
      const outBase = (oy * p.outW + ox) * p.channels;
      for (let c = 0; c < p.channels; c++) output[outBase + c] = clamp(best[c]!, p.actMin, p.actMax);
    }
  }
}

export function avgPoolInt8(p: PoolParams, input: Int8Array, output: Int8Array): void {
  const sum = new Int32Array(p.channels);
  for (let oy = 0; oy < p.outH; oy++) {
    for (let ox = 0; ox < p.outW; ox++) {
      sum.fill(0);
      const count = forEachTap(p, oy, ox, (base) => {
        for (let c = 0; c < p.channels; c++) sum[c] = sum[c]! + input[base + c]!;
      });
      const outBase = (oy * p.outW + ox) * p.channels;
      const half = Math.trunc(count / 2);
      for (let c = 0; c < p.channels; c++) {
        const s = sum[c]!;
        const avg = s > 0 ? Math.trunc((s + half) / count) : Math.trunc((s - half) / count);
        output[outBase + c] = clamp(avg, p.actMin, p.actMax);
      }
    }
  }
}
