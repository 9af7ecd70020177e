/**
 * The constants TFLite (Micro) derives from a quantized op's tensors at prepare time: fused
 * activation bounds, requantization multipliers. Computed here once, with exactly TFLite's mix of
 * float32 and double arithmetic (it decides the last bit of a multiplier), and used both by the
 * TS int8 kernels and, baked in as constants, by the generated C.
 */
import type { FusedActivation, ModelIR, Rounding, TensorInfo } from '../ir.js';
import { quantizeMultiplier, roundHalfAwayFromZero, type QuantizedMultiplier } from './fixed-point.js';

export const INT8_MIN = -128;
export const INT8_MAX = 127;

export interface Int8Range {
  readonly min: number;
  readonly max: number;
}

/** Per-tensor scale and zero point of an int8 tensor (a missing quantization is an internal error). */
export function scaleOf(t: TensorInfo): number {
  const s = t.quant?.scale[0];
  if (s === undefined) throw new Error(`tensor '${t.name}' (${t.dtype}) has no quantization parameters`);
  return s;
}

export function zeroPointOf(t: TensorInfo): number {
  return t.quant?.zeroPoint[0] ?? 0;
}

/** TFLite's Quantize helper of CalculateActivationRangeQuantized: zp + round(f / scale), in float32. */
function quantizeBound(f: number, scale: number, zeroPoint: number): number {
  return zeroPoint + roundHalfAwayFromZero(Math.fround(Math.fround(f) / Math.fround(scale)));
}

/** CalculateActivationRangeQuantized for an int8 output. */
export function int8ActivationRange(activation: FusedActivation, output: TensorInfo): Int8Range {
  const scale = scaleOf(output);
  const zp = zeroPointOf(output);
  if (activation === 'relu') return { min: Math.max(INT8_MIN, quantizeBound(0, scale, zp)), max: INT8_MAX };
  if (activation === 'relu6') return { min: Math.max(INT8_MIN, quantizeBound(0, scale, zp)), max: Math.min(INT8_MAX, quantizeBound(6, scale, zp)) };
  return { min: INT8_MIN, max: INT8_MAX };
}

/** Float bounds of a fused activation. */
export function floatActivationRange(activation: FusedActivation): { readonly min: number; readonly max: number } {
  if (activation === 'relu') return { min: 0, max: Infinity };
  if (activation === 'relu6') return { min: 0, max: 6 };
  return { min: -Infinity, max: Infinity };
}

/**
 * Per-output-channel multipliers of conv and depthwise conv (and per-channel fully connected):
 * double(input scale) × double(filter scale[c]) / double(output scale), per-tensor filter scales
 * broadcast to every channel.
 */
export function perChannelMultipliers(input: TensorInfo, filter: TensorInfo, output: TensorInfo, channels: number, rounding: Rounding): { multipliers: Int32Array; shifts: Int32Array } {
  const inScale = scaleOf(input);
  const outScale = scaleOf(output);
  const filterScales = filter.quant?.scale ?? [];
  const multipliers = new Int32Array(channels);
  const shifts = new Int32Array(channels);
  for (let c = 0; c < channels; c++) {
    const filterScale = filterScales.length > 1 ? filterScales[c]! : filterScales[0]!;
    const q = quantizeMultiplier((inScale * filterScale) / outScale, rounding);
    multipliers[c] = q.multiplier;
    shifts[c] = q.shift;
  }
  return { multipliers, shifts };
}

/**
 * The one multiplier of a per-tensor fully connected layer (GetQuantizedConvolutionMultipler): the
 * product input × filter scale is taken in float32, then divided in double.
 */
export function fullyConnectedMultiplier(input: TensorInfo, filter: TensorInfo, output: TensorInfo, rounding: Rounding): QuantizedMultiplier {
  return quantizeMultiplier(Math.fround(scaleOf(input) * scaleOf(filter)) / scaleOf(output), rounding);
}

/** Requantization of an int8 value to other params (QUANTIZE int8 → int8): input scale / output scale in double. */
export function requantizeMultiplier(input: TensorInfo, output: TensorInfo, rounding: Rounding): QuantizedMultiplier {
  return quantizeMultiplier(scaleOf(input) / scaleOf(output), rounding);
}

/** The model's int8 requantization rounding (TFLite Micro's double rounding unless it says otherwise). */
export function roundingOf(model: ModelIR): Rounding {
  return model.metadata.rounding ?? 'double';
}
