import { readFileSync } from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { datasetsDir } from '../../../test/support/shared.js';
import { decodeImage, resizeImage, toGrayscale, type Image } from './image.js';

function rgb(width: number, height: number, f: (x: number, y: number) => [number, number, number]): Image {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(f(x, y), (y * width + x) * 3);
  return { width, height, channels: 3, data };
}

const px = (img: Image, x: number, y: number): number[] => Array.from(img.data.subarray((y * img.width + x) * img.channels, (y * img.width + x + 1) * img.channels));

describe('decodeImage', () => {
  it('reads mnist PNGs (28×28 grayscale) as RGB, matching pngjs directly', () => {
    for (const rel of ['0/0_0001.png', '3/3_0001.png', '9/9_0001.png']) {
      const buf = readFileSync(path.join(datasetsDir, 'mnist10k', rel));
      const img = decodeImage(new Uint8Array(buf));
      expect([img.width, img.height, img.channels]).toEqual([28, 28, 3]);
      const ref = PNG.sync.read(buf);
      for (let i = 0; i < 28 * 28; i++) {
        expect(px(img, i % 28, Math.floor(i / 28))).toEqual([ref.data[i * 4], ref.data[i * 4 + 1], ref.data[i * 4 + 2]]);
      }
      // Gray source: R = G = B, and there is ink.
      expect(Math.max(...img.data)).toBeGreaterThan(200);
      expect(px(img, 14, 14)[0]).toBe(px(img, 14, 14)[1]);
    }
  });

  it('reads a JPEG written by jpeg-js (lossy: close to the source)', () => {
    const src = rgb(32, 16, (x, y) => [x * 8, y * 16, 128]);
    const rgba = new Uint8Array(32 * 16 * 4);
    for (let i = 0; i < 32 * 16; i++) rgba.set([...src.data.subarray(i * 3, i * 3 + 3), 255], i * 4);
    const file = jpeg.encode({ width: 32, height: 16, data: rgba }, 95).data;
    const img = decodeImage(new Uint8Array(file));
    expect([img.width, img.height, img.channels]).toEqual([32, 16, 3]);
    let maxErr = 0;
    for (let i = 0; i < src.data.length; i++) maxErr = Math.max(maxErr, Math.abs((img.data[i] ?? 0) - (src.data[i] ?? 0)));
    expect(maxErr).toBeLessThan(24);
  });
});

describe('resizeImage', () => {
  it('squash: a constant image stays constant; a 2×2 upscales bilinearly', () => {
    const flat = resizeImage(rgb(7, 3, () => [10, 20, 30]), 4, 5, 'squash');
    expect([flat.width, flat.height]).toEqual([4, 5]);
    expect(new Set(flat.data)).toEqual(new Set([10, 20, 30]));
    const g: Image = { width: 2, height: 1, channels: 1, data: new Uint8Array([0, 100]) };
    // Half-pixel centres: x' = (x + 0.5) · 0.5 - 0.5 → -0.25 (clamped 0), 0.25, 0.75, 1.25 (clamped 1).
    expect(Array.from(resizeImage(g, 4, 1, 'squash').data)).toEqual([0, 25, 75, 100]);
  });

  it('fit-short crops the centre of the longer side', () => {
    // 6×2: left third red, middle third green, right third blue → 2×2 keeps the middle (green).
    const src = rgb(6, 2, (x) => (x < 2 ? [255, 0, 0] : x < 4 ? [0, 255, 0] : [0, 0, 255]));
    const out = resizeImage(src, 2, 2, 'fit-short');
    for (const [x, y] of [[0, 0], [1, 0], [0, 1], [1, 1]] as const) expect(px(out, x, y)).toEqual([0, 255, 0]);
  });

  it('fit-long letterboxes with zeros', () => {
    const src = rgb(4, 2, () => [200, 100, 50]);
    const out = resizeImage(src, 4, 4, 'fit-long');
    expect(px(out, 0, 0)).toEqual([0, 0, 0]);
    expect(px(out, 3, 3)).toEqual([0, 0, 0]);
    expect(px(out, 0, 1)).toEqual([200, 100, 50]);
    expect(px(out, 3, 2)).toEqual([200, 100, 50]);
  });

  it('grayscale uses BT.601 luma', () => {
    const g = toGrayscale(rgb(3, 1, (x) => (x === 0 ? [255, 0, 0] : x === 1 ? [0, 255, 0] : [10, 20, 30])));
    expect(g.channels).toBe(1);
    expect(Array.from(g.data)).toEqual([76, 150, Math.round(0.299 * 10 + 0.587 * 20 + 0.114 * 30)]);
  });
});
