import { describe, expect, test } from 'vitest';
import { asBlock, defaultsOf, expectDocumentedParams, expectParamError, noise } from '../testing/helpers.js';
import flattenBlock from './index.js';

const flatten = asBlock(flattenBlock);
const defaults = defaultsOf(flatten);
const info = (rows: number, axes: number) => ({ shape: [rows, axes], frequency: 10 });

describe('flatten', () => {
  test('params: every key documented, defaults = the reference defaults', () => {
    expectDocumentedParams(flatten);
    expect(defaults).toEqual({ average: true, minimum: true, maximum: true, rms: true, stdev: true, skewness: true, kurtosis: true, scaleAxes: 1 });
  });

  test('statistics per axis, in the reference order (values from numpy / scipy)', () => {
    // axis 0: 1 2 3 4 10; axis 1: the same ×(−1)
    const w = Float32Array.from([1, -1, 2, -2, 3, -3, 4, -4, 10, -10]);
    const out = Array.from(flatten.process(defaults, w, info(5, 2)));
    const want0 = [4, 1, 10, 5.0990195135927845, 3.1622776601683795, 1.1384199576606167, -0.21199999999999974];
    const want1 = [-4, -10, -1, 5.0990195135927845, 3.1622776601683795, -1.1384199576606167, -0.21199999999999974];
    [...want0, ...want1].forEach((v, i) => expect(out[i]).toBeCloseTo(v, 5));
  });

  test('disabled statistics are left out; scaleAxes multiplies first', () => {
    const p = { ...defaults, average: false, rms: false, skewness: false, kurtosis: false, scaleAxes: 2 };
    expect(flatten.shape(p, info(5, 2))).toEqual([6]);
    expect(Array.from(flatten.process(p, Float32Array.from([1, 0, 2, 0, 3, 0, 4, 0, 10, 0]), info(5, 2)))).toEqual([2, 20, Math.fround(Math.sqrt(40)), 0, 0, 0]);
  });

  test.each([[52, 3], [1, 1], [100, 6]])('shape() matches process() for [%i, %i]', (rows, axes) => {
    expect(flatten.process(defaults, noise(rows * axes), info(rows, axes)).length).toBe(flatten.shape(defaults, info(rows, axes))[0]);
  });

  test('NaN hazard: constant and near-constant axes give skewness = kurtosis = 0', () => {
    const constant = new Float32Array(52).fill(1039);
    const out = flatten.process(defaults, constant, info(52, 1));
    expect(Array.from(out)).toEqual([1039, 1039, 1039, 1039, 0, 0, 0]);
    const single = flatten.process(defaults, Float32Array.from([5]), info(1, 1));
    expect(single.every(Number.isFinite)).toBe(true);
  });

  test('all statistics disabled is an error', () => {
    const none = { ...defaults, average: false, minimum: false, maximum: false, rms: false, stdev: false, skewness: false, kurtosis: false };
    expectParamError(() => flatten.validate?.(none, info(5, 1)), /no statistic is enabled/);
  });
});
