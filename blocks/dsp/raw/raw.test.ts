import { describe, expect, test } from 'vitest';
import { asBlock, defaultsOf, expectDocumentedParams, expectParamError } from '../testing/helpers.js';
import rawBlock from './index.js';

const raw = asBlock(rawBlock);
const defaults = defaultsOf(raw);

describe('raw', () => {
  test('params: every key documented, default scale 1', () => {
    expectDocumentedParams(raw);
    expect(defaults).toEqual({ scaleAxes: 1 });
  });

  test('keeps the window and its [frames, axes] shape, as a copy', () => {
    const w = Float32Array.from([1, 2, 3, 4, 5, 6]);
    const i = { shape: [2, 3], frequency: 50 };
    expect(raw.shape(defaults, i)).toEqual([2, 3]);
    const out = raw.process(defaults, w, i);
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(out).not.toBe(w);
  });

  test('scaleAxes multiplies every value', () => {
    expect(Array.from(raw.process({ scaleAxes: 0.5 }, Float32Array.from([2, -4]), { shape: [2, 1] }))).toEqual([1, -2]);
  });

  test('rejects non-time-series input', () => {
    expectParamError(() => raw.validate?.(defaults, { shape: [28, 28, 1] }), /expects a time-series window/);
  });
});
