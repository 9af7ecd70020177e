/**
 * The constants TFLite (Micro) derives from a quantized op's tensors at prepare time: fused
 * activation bounds, requantization multipliers. Computed here once, with exactly TFLite's mix of
 * float32 and double arithmetic (it decides the last bit of a multiplier), and used both by the
 * TS int8 kernels and, baked in as constants, by the generated C.
 */
import type { FusedActivation, ModelIR, Rounding, TensorInfo } from '../ir.js';
import { quantizeMultiplier, requantizeFloat32, requantizer, roundHalfAwayFromZero, type QuantizedMultiplier } from './fixed-point.js';

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
export function perChannelMultipliers(input: TensorInfo, filter: TensorInfo, output: TensorInfo, channels: number, rounding: Rounding): ChannelRequantization {
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
  return { multipliers, shifts, rounding, xnnpackScales: rounding === 'xnnpack' ? xnnpackRequantizationScales(input, filter, output, channels) : undefined };
}

/** How an int8 op's int32 accumulators become outputs: one requantization per output channel (or one for the layer). */
export interface ChannelRequantization {
  readonly multipliers: Int32Array;
  readonly shifts: Int32Array;
  readonly rounding: Rounding;
  /** Under rounding 'xnnpack', where XNNPACK takes the op: its float32 scales, used instead of the multipliers. */
  readonly xnnpackScales?: Float32Array;
}

/** (accumulator, channel) → requantized value, before the output offset and clamping. */
export type ChannelRequantizer = (acc: number, channel: number) => number;

export function channelRequantizer(r: ChannelRequantization): ChannelRequantizer {
  const scales = r.xnnpackScales;
  if (scales) return (acc, c) => requantizeFloat32(acc, scales[c]!);
  const requantize = requantizer(r.rounding);
  const { multipliers, shifts } = r;
  return (acc, c) => requantize(acc, multipliers[c]!, shifts[c]!);
}

/** XNNPACK's requantization scale must lie in [2^-32, 256); outside it the delegate leaves the op to TFLite. */
const XNNPACK_MIN_SCALE = 2 ** -32;
const XNNPACK_MAX_SCALE = 256;

/**
 * The requantization scales XNNPACK's qs8/qc8 convolutions and fully connected layers compute:
 * input scale × filter scale[c] / output scale, each step in float32. Undefined when a scale is out
 * of XNNPACK's range (TFLite then runs the op itself, with single rounding).
 */
function xnnpackRequantizationScales(input: TensorInfo, filter: TensorInfo, output: TensorInfo, channels: number): Float32Array | undefined {
  const f = Math.fround;
  const filterScales = filter.quant?.scale ?? [];
  const scales = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const filterScale = filterScales.length > 1 ? filterScales[c]! : filterScales[0]!;
    scales[c] = f(f(f(scaleOf(input)) * f(filterScale)) / f(scaleOf(output)));
    if (!(scales[c]! >= XNNPACK_MIN_SCALE && scales[c]! < XNNPACK_MAX_SCALE)) return undefined;
  }
  return scales;
}

/**
 * The one multiplier of a per-tensor fully connected layer (GetQuantizedConvolutionMultipler): the
 * product input × filter scale is taken in float32, then divided in double.
 */
export function fullyConnectedRequantization(input: TensorInfo, filter: TensorInfo, output: TensorInfo, rounding: Rounding): ChannelRequantization {
  const q = quantizeMultiplier(Math.fround(scaleOf(input) * scaleOf(filter)) / scaleOf(output), rounding);
  return { multipliers: Int32Array.of(q.multiplier), shifts: Int32Array.of(q.shift), rounding, xnnpackScales: rounding === 'xnnpack' ? xnnpackRequantizationScales(input, filter, output, 1) : undefined };
}

/** Requantization of an int8 value to other params (QUANTIZE int8 → int8): input scale / output scale in double. */
export function requantizeMultiplier(input: TensorInfo, output: TensorInfo, rounding: Rounding): QuantizedMultiplier {
  return quantizeMultiplier(scaleOf(input) / scaleOf(output), rounding);
}

/** The model's int8 requantization rounding (TFLite Micro's double rounding unless it says otherwise). */
export function roundingOf(model: ModelIR): Rounding {
  return model.metadata.rounding ?? 'double';
}
