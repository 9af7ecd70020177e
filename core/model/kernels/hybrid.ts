/**
 * TFLite's "hybrid" ops (dynamic-range quantized models): float activations, int8 weights with one
 * scale per tensor, float bias. At run time the float input is quantized symmetrically to int8
 * with one scale for the whole tensor (max |x| / 127), multiplied in integers with the weights,
 * and each accumulator is scaled back to float: y = acc × (inputScale × weightScale) + bias.
 * Every step in float32 as TFLite's kernels compute it (SymmetricQuantizeFloats, HybridConv,
 * the hybrid fully connected). Twin C: hybrid_f32.c.
 */
import type { Conv2dFloatParams } from './conv2d.js';
import type { FullyConnectedFloatParams } from './fully-connected.js';
import { clamp, roundHalfAwayFromZero } from './fixed-point.js';

const SYMMETRIC_MAX = 127;

/** SymmetricQuantizeFloats: int8 values in `out`, returns the scale (1 for an all-zero input). */
export function symmetricQuantize(values: Float32Array, out: Int8Array): number {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = Math.max(Math.abs(min), Math.abs(max));
  if (range === 0) {
    out.fill(0);
    return 1;
  }
  const scale = Math.fround(range / SYMMETRIC_MAX);
  const inverse = Math.fround(SYMMETRIC_MAX / range);
  for (let i = 0; i < values.length; i++) out[i] = clamp(roundHalfAwayFromZero(Math.fround(values[i]! * inverse)), -SYMMETRIC_MAX, SYMMETRIC_MAX);
  return scale;
}

export interface HybridScratch {
  readonly quantized: Int8Array;
}

export function conv2dHybrid(p: Conv2dFloatParams, weightScale: number, input: Float32Array, filter: Int8Array, bias: Float32Array | undefined, output: Float32Array, scratch: HybridScratch): void {
  const q = scratch.quantized;
  const scale = Math.fround(symmetricQuantize(input, q) * weightScale);
  for (let oy = 0; oy < p.outH; oy++) {
    const inY0 = oy * p.strideH - p.padTop;
    for (let ox = 0; ox < p.outW; ox++) {
      const inX0 = ox * p.strideW - p.padLeft;
      const outBase = (oy * p.outW + ox) * p.outC;
      for (let oc = 0; oc < p.outC; oc++) {
        let acc = 0;
        for (let ky = 0; ky < p.kH; ky++) {
          const iy = inY0 + ky * p.dilationH;
          if (iy < 0 || iy >= p.inH) continue;
          for (let kx = 0; kx < p.kW; kx++) {
            const ix = inX0 + kx * p.dilationW;
            if (ix < 0 || ix >= p.inW) continue;
            const inBase = (iy * p.inW + ix) * p.inC;
            const fBase = ((oc * p.kH + ky) * p.kW + kx) * p.inC;
            for (let ic = 0; ic < p.inC; ic++) acc += filter[fBase + ic]! * q[inBase + ic]!;
          }
        }
        const y = Math.fround(Math.fround(acc) * scale);
        output[outBase + oc] = clamp(bias ? Math.fround(y + bias[oc]!) : y, p.actMin, p.actMax);
      }
    }
  }
}

/** Rows are quantized one by one (TFLite's per-batch scaling factors). */
export function fullyConnectedHybrid(p: FullyConnectedFloatParams, weightScale: number, input: Float32Array, weights: Int8Array, bias: Float32Array | undefined, output: Float32Array, scratch: HybridScratch): void {
  for (let r = 0; r < p.rows; r++) {
    const row = input.subarray(r * p.inUnits, (r + 1) * p.inUnits);
    const q = scratch.quantized.subarray(r * p.inUnits, (r + 1) * p.inUnits);
    const scale = Math.fround(symmetricQuantize(row, q) * weightScale);
    for (let o = 0; o < p.outUnits; o++) {
      const wBase = o * p.inUnits;
      let acc = 0;
      for (let i = 0; i < p.inUnits; i++) acc += weights[wBase + i]! * q[i]!;
      const y = Math.fround(Math.fround(acc) * scale);
      output[r * p.outUnits + o] = clamp(bias ? Math.fround(bias[o]! + y) : y, p.actMin, p.actMax);
    }
  }
}
