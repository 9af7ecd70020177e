/**
 * XNNPACK's int8 ADD (rounding 'xnnpack') against parameters and sums worked out by hand from its
 * definition: ratios of scales in float32, a shift that puts the larger ratio in [2^20, 2^21),
 * multipliers rounded to nearest even, one bias holding the rounding and both zero points, an
 * arithmetic shift (halves round up). The whole op is checked against the official TFLite runtime
 * in test/model/fixture-models.test.ts (the CIFAR ResNet's residual adds).
 */
import { describe, expect, test } from 'vitest';
import { addInt8, xnnpackAddParams, type AddInt8Params } from './add.js';

describe("XNNPACK's ADD parameters", () => {
  test('ratios 0.5 and 0.25: the larger is 2^-1, so shift 21 and multipliers 2^20 and 2^19', () => {
    // bias = 2^20 (rounding) − 2^20·1 − 2^19·(−2) = 2^20
    expect(xnnpackAddParams(0.5, 0.25, 1, 1, -2)).toEqual({ aMultiplier: 2 ** 20, bMultiplier: 2 ** 19, bias: 2 ** 20, shift: 21 });
  });
  test('a ratio just below a power of two keeps the smaller exponent', () => {
    // (1 − 2^-24) / 1: exponent −1 → shift 21; (1 − 2^-24)·2^21 = 2^21 − 0.125 → 2^21
    const p = xnnpackAddParams(1 - 2 ** -24, 0.5, 1, 0, 0)!;
    expect(p.shift).toBe(21);
    expect(p.aMultiplier).toBe(2 ** 21);
    expect(p.bMultiplier).toBe(2 ** 20);
  });
  test('a ratio outside [2^-10, 2^8) is left to TFLite (undefined)', () => {
    expect(xnnpackAddParams(1, 1, 2048, 0, 0)).toBeUndefined(); // 2^-11
    expect(xnnpackAddParams(256, 1, 1, 0, 0)).toBeUndefined(); // 2^8
  });
});

describe("XNNPACK's ADD kernel", () => {
  const params = (xnnpack: AddInt8Params['xnnpack']): AddInt8Params => ({
    size: 3, leftShift: 20, input1Offset: -1, input2Offset: 2, outputOffset: 0,
    input1Multiplier: 0, input1Shift: 0, input2Multiplier: 0, input2Shift: 0, outputMultiplier: 0, outputShift: 0,
    actMin: -128, actMax: 127, rounding: 'xnnpack', xnnpack,
  });
  test('a: scale 0.5 zp 1, b: scale 0.25 zp −2, output scale 1 zp 0 — halves round up', () => {
    const p = params(xnnpackAddParams(0.5, 0.25, 1, 1, -2));
    const out = new Int8Array(3);
    // a = 3 → 1.0, b = −2 → 0: 1.0 → 1; a = 2 → 0.5: ties up → 1; a = 0 → −0.5: ties up → 0
    addInt8(p, Int8Array.of(3, 2, 0), Int8Array.of(-2, -2, -2), out);
    expect(Array.from(out)).toEqual([1, 1, 0]);
  });
  test('saturates to the activation range', () => {
    const p = params(xnnpackAddParams(0.5, 0.25, 1, 1, -2));
    const out = new Int8Array(3);
    // a = 127 → 63, b = 127 → 32.25: 95.25 → 95; a = −128 → −64.5, b = −128 → −31.5: −96
    addInt8({ ...p, actMax: 90 }, Int8Array.of(127, -128, 127), Int8Array.of(127, -128, -2), out);
    expect(Array.from(out)).toEqual([90, -96, 63]);
  });
});
