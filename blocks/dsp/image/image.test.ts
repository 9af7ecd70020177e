import { describe, expect, test } from 'vitest';
import { asBlock, defaultsOf, expectDocumentedParams, expectParamError } from '../testing/helpers.js';
import imageBlock from './index.js';

const image = asBlock(imageBlock);
const defaults = defaultsOf(image);

describe('image', () => {
  test('params: every key documented, default RGB', () => {
    expectDocumentedParams(image);
    expect(defaults).toEqual({ channels: 'RGB' });
  });

  test('RGB: scales 0..255 to 0..1, keeps [h, w, 3]', () => {
    const px = Float32Array.from([0, 128, 255, 255, 0, 51]);
    const i = { shape: [1, 2, 3] };
    expect(image.shape(defaults, i)).toEqual([1, 2, 3]);
    const out = image.process(defaults, px, i);
    expect(Array.from(out)).toEqual([0, 128 / 255, 1, 1, 0, 0.2].map(Math.fround));
  });

  test("Grayscale: the reference's ITU-R 601-2 weights (0.299, 0.587, 0.114)", () => {
    const px = Float32Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255, 10, 20, 30]);
    const i = { shape: [1, 5, 3] };
    const p = { channels: 'Grayscale' };
    expect(image.shape(p, i)).toEqual([1, 5, 1]);
    const out = Array.from(image.process(p, px, i));
    const luma = (r: number, g: number, b: number) => Math.fround((0.299 / 255) * r + (0.587 / 255) * g + (0.114 / 255) * b);
    expect(out).toEqual([luma(255, 0, 0), luma(0, 255, 0), luma(0, 0, 255), luma(255, 255, 255), luma(10, 20, 30)]);
    expect(out[0]).toBeCloseTo(0.299, 6);
    expect(out[1]).toBeCloseTo(0.587, 6);
    expect(out[2]).toBeCloseTo(0.114, 6);
    expect(out[3]).toBeCloseTo(1, 6);
  });

  test('grayscale input (1 channel) is treated as R = G = B; RGBA ignores alpha', () => {
    const gray = image.process(defaults, Float32Array.from([51, 255]), { shape: [1, 2, 1] });
    expect(Array.from(gray)).toEqual([0.2, 0.2, 0.2, 1, 1, 1].map(Math.fround));
    const rgba = image.process({ channels: 'Grayscale' }, Float32Array.from([255, 255, 255, 0]), { shape: [1, 1, 4] });
    expect(rgba[0]).toBeCloseTo(1, 6);
  });

  test('rejects a non-image input', () => {
    expectParamError(() => image.validate?.(defaults, { shape: [100, 3] }), /expects an image/);
    expectParamError(() => image.validate?.(defaults, { shape: [8, 8, 2] }), /expects an image/);
  });
});
