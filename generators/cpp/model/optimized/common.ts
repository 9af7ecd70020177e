/**
 * What every optimized kernel's generated C shares: the helper header (nn_simd.h), constant
 * tables written as C, the choice and the C of the requantization, and the output clamp.
 */
import { C_SOURCES } from '../../../../core/model/kernels/armv7em/c-sources.gen.js';
import { cArrayBody, cInt } from '../../c-syntax.js';

/** The helper header, by its path under the SDK's src/. */
export const SIMD_HEADER = 'kernels/armv7em/nn_simd.h';

export function simdFiles(): Map<string, string> {
  const text = C_SOURCES.get(SIMD_HEADER);
  if (text === undefined) throw new Error(`${SIMD_HEADER} is missing from the embedded sources`);
  return new Map([[SIMD_HEADER, text]]);
}

export function int8Table(name: string, values: ArrayLike<number>, comment: string): string {
  return `/* ${comment} */\nstatic const int8_t ${name}[${values.length}] = {\n${cArrayBody(values, cInt, 16)}\n};`;
}

export function int32Table(name: string, values: ArrayLike<number>, comment: string): string {
  return `/* ${comment} */\nstatic const int32_t ${name}[${values.length}] = {\n${cArrayBody(values, cInt, 8)}\n};`;
}

/** ` + n` / ` - n` / '' (n = 0): a constant added to a C expression or in a comment. */
export function plus(n: number): string {
  return n === 0 ? '' : n > 0 ? ` + ${n}` : ` - ${-n}`;
}

/** C of `v * mul + add` without the identities (`oy - 1` rather than `oy * 1 - 1`). */
export function affine(v: string, mul: number, add: number): string {
  return `${mul === 0 ? '0' : mul === 1 ? v : `${v} * ${mul}`}${plus(add)}`;
}

/** An int16 value in both lanes of a word, as a C literal. */
export function pairLiteral(v: number): string {
  const lane = v & 0xffff;
  return `0x${(((lane << 16) | lane) >>> 0).toString(16).padStart(8, '0').toUpperCase()}u`;
}

/** The input offset (−zero point) of an op in both int16 lanes, as a C declaration. */
export function offsetPairDeclaration(inputOffset: number, name = 'offset2'): string {
  return `const uint32_t ${name} = ${pairLiteral(inputOffset)}; /* input offset ${inputOffset} in both int16 lanes */`;
}

/** Largest |x + inputOffset| of an int8 x. */
export function maxAbsInput(inputOffset: number): number {
  return Math.max(Math.abs(-128 + inputOffset), Math.abs(127 + inputOffset));
}

/** The bound of |acc| over every input: |bias| + Σ|w| · max|x + offset| (one channel's weights). */
export function accumulatorBound(bias: number, weightAbsSum: number, inputOffset: number): number {
  return Math.abs(bias) + weightAbsSum * maxAbsInput(inputOffset);
}

/** |acc| below this keeps nn_requantize exact (see nn_simd.h). */
export const FAST_REQUANT_BOUND = 2 ** 30 - 2;

/**
 * How an op's accumulators become outputs: nn_requantize (fast) when every channel's shift is in
 * −31…−1 (or its multiplier is 0) and every accumulator provably stays within FAST_REQUANT_BOUND;
 * otherwise fixed_point.h's generic fp_multiply_by_quantized_multiplier. Per-channel tables only
 * when the channels differ.
 */
export interface Requantization {
  readonly fast: boolean;
  /** `static const` tables (none when every channel shares one multiplier). */
  readonly definitions: readonly string[];
  /** C expression of the requantized accumulator `acc` of channel `channel` (a C expression). */
  expr(acc: string, channel: string): string;
}

export function planRequantization(prefix: string, multipliers: Int32Array, shifts: Int32Array, channels: number, accBounds: readonly number[]): Requantization {
  const perChannel = multipliers.length > 1;
  const m = (c: number) => multipliers[perChannel ? c : 0]!;
  const s = (c: number) => shifts[perChannel ? c : 0]!;
  let fast = true;
  for (let c = 0; c < channels; c++) {
    if (m(c) < 0) fast = false;
    if (m(c) !== 0 && (s(c) > -1 || s(c) < -31)) fast = false;
    if ((accBounds[c] ?? Infinity) > FAST_REQUANT_BOUND) fast = false;
  }
  // nn_requantize of a zero multiplier is 0 for any right shift ≥ 1.
  const second = (c: number) => (fast ? (m(c) === 0 ? 1 : -s(c)) : s(c));
  const firsts = Array.from({ length: channels }, (_, c) => m(c));
  const seconds = Array.from({ length: channels }, (_, c) => second(c));
  const same = (a: number[]) => a.every((v) => v === a[0]);
  const definitions: string[] = [];
  let mExpr: (c: string) => string;
  let sExpr: (c: string) => string;
  const fn = fast ? 'nn_requantize' : 'fp_multiply_by_quantized_multiplier';
  const secondName = fast ? 'right_shift' : 'shift';
  if (same(firsts) && same(seconds)) {
    mExpr = () => cInt(firsts[0]!);
    sExpr = () => cInt(seconds[0]!);
  } else {
    definitions.push(int32Table(`${prefix}_multiplier`, firsts, `requantization significands (Q0.31), per output channel`));
    definitions.push(
      int32Table(`${prefix}_${secondName}`, seconds, fast ? 'requantization right shifts (the multiplier is m · 2^-shift / 2^31), per output channel' : 'requantization exponents, per output channel'),
    );
    mExpr = (c) => `${prefix}_multiplier[${c}]`;
    sExpr = (c) => `${prefix}_${secondName}[${c}]`;
  }
  return { fast, definitions, expr: (acc, c) => `${fn}(${acc}, ${mExpr(c)}, ${sExpr(c)})` };
}

/** C expression of the int8 output of a requantized value `v`: + output offset, clamped to the activation bounds. */
export function outputExpr(v: string, outputOffset: number, actMin: number, actMax: number): string {
  const shifted = `${v}${plus(outputOffset)}`;
  if (actMin <= -128 && actMax >= 127) return `(int8_t)nn_ssat8(${shifted})`;
  return `(int8_t)fp_clamp(${shifted}, ${actMin}, ${actMax})`;
}

/** "relu" bounds in a comment. */
export function boundsComment(actMin: number, actMax: number): string {
  return actMin <= -128 && actMax >= 127 ? 'saturated to int8' : `clamped to [${actMin}, ${actMax}]`;
}

/** Sum of |w| per output channel for weights laid out [channels][perChannel]. */
export function absSums(weights: Int8Array, channels: number): number[] {
  const per = weights.length / channels;
  const out = new Array<number>(channels).fill(0);
  for (let c = 0; c < channels; c++) for (let i = 0; i < per; i++) out[c]! += Math.abs(weights[c * per + i]!);
  return out;
}
