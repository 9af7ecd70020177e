import { describe, expect, test } from 'vitest';
import type { WindowGeometry } from './geometry.js';
import { maxPoolInputGrad, maxPoolInputGradTiled, windowsTile } from './max-pool-grad.js';

/** x with ReLU-like ties (a third zeros), some NaN; y = the forward max pool (NaN-propagating like TF's). */
function poolCase(g: WindowGeometry, seed: number): { x: Float32Array; y: Float32Array; dy: Float32Array } {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const x = Float32Array.from({ length: g.n * g.h * g.w * g.c }, () => {
    const r = rand();
    return r < 0.33 ? 0 : r < 0.35 ? Number.NaN : Math.round(r * 8) / 8;
  });
  const y = new Float32Array(g.n * g.oh * g.ow * g.c);
  for (let b = 0, d = 0; b < g.n; b++)
    for (let oy = 0; oy < g.oh; oy++)
      for (let ox = 0; ox < g.ow; ox++)
        for (let c = 0; c < g.c; c++, d++) {
          let m = -Infinity;
          for (let i = 0; i < g.kh; i++)
            for (let j = 0; j < g.kw; j++) {
              const iy = oy * g.sh + i;
              const ix = ox * g.sw + j;
              if (iy < g.h && ix < g.w) m = Math.max(m, x[((b * g.h + iy) * g.w + ix) * g.c + c]!);
            }
          y[d] = m;
        }
  const dy = Float32Array.from({ length: y.length }, (_, i) => (i % 97 === 5 ? Number.POSITIVE_INFINITY : i % 89 === 3 ? Number.NaN : rand() - 0.5));
  return { x, y, dy };
}

/** Tiled windows; 'valid' drops the edge remainder, 'same' covers it with windows crossing the edge. */
const geometry = (n: number, h: number, w: number, c: number, kh: number, kw: number, pad: 'valid' | 'same' = 'valid'): WindowGeometry => {
  const out = (size: number, k: number) => (pad === 'valid' ? Math.floor(size / k) : Math.ceil(size / k));
  return { n, h, w, c, kh, kw, sh: kh, sw: kw, dh: 1, dw: 1, padTop: 0, padLeft: 0, oh: out(h, kh), ow: out(w, kw) };
};

describe('maxPoolInputGradTiled', () => {
  test.each([
    [geometry(2, 8, 8, 5, 2, 2)],
    [geometry(3, 7, 9, 4, 2, 2)], // odd sizes: a bottom row and a right column outside every window
    [geometry(2, 9, 6, 3, 3, 2)],
    [geometry(1, 8, 4, 2, 2, 1)],
    [geometry(2, 25, 1, 6, 2, 1, 'same')], // a 1-D pool over 25 steps: the last window has one tap
    [geometry(2, 7, 5, 3, 2, 2, 'same')],
    [geometry(1, 8, 7, 2, 3, 3, 'same')],
  ])('equals the general kernel on ties, NaN and non-finite gradients: %j', (g) => {
    expect(windowsTile(g)).toBe(true);
    const { x, y, dy } = poolCase(g, 7 + g.h * g.w);
    const want = new Float32Array(x.length);
    maxPoolInputGrad(g, x, y, dy, want);
    const got = new Float32Array(x.length).fill(123); // garbage: every value must be written
    maxPoolInputGradTiled(g, x, y, dy, got);
    expect(Array.from(got)).toEqual(Array.from(want));
  });

  test('overlapping windows, or padding before the first row / column, are not tiled', () => {
    expect(windowsTile({ ...geometry(1, 8, 8, 1, 3, 3), sh: 2, sw: 2, oh: 3, ow: 3 })).toBe(false);
    expect(windowsTile({ ...geometry(1, 5, 5, 1, 2, 2, 'same'), padTop: 1 })).toBe(false);
  });
});
