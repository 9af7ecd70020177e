import { readFileSync } from 'node:fs';
import path from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { rowOf } from '../../../core/artifact/types.js';
import { datasetsDir } from '../../../test/support/shared.js';
import { fakeContext, indexDir, indexOf, put, sample, tempDir } from '../test-helpers.js';
import image from './index.js';

const mnist = path.join(datasetsDir, 'mnist10k');

describe('image input block', () => {
  it('reads mnist PNGs as [28, 28, 1] raw 0..255 (100 per class)', async () => {
    const index = indexDir(mnist, { limit: 100, ext: '.png' });
    const ctx = fakeContext();
    const r = await image.run(ctx, index, { dataRoot: mnist, onError: 'stop' }, { width: 28, height: 28, resizeMode: 'squash', colorDepth: 'Grayscale' });
    expect(r.set.kind).toBe('image');
    expect(r.set.shape).toEqual([28, 28, 1]);
    expect(r.set.rows.length).toBe(1000);
    expect(r.set.labels).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(r.set.rows[0]).toEqual({ sample: '0/0_0001.png', label: '0', split: 'training', window: 0 });
    const ref = PNG.sync.read(readFileSync(path.join(mnist, '0/0_0001.png')));
    const row = rowOf(r.set, 0);
    for (let i = 0; i < 28 * 28; i++) expect(row[i]).toBe(ref.data[i * 4]);
    expect(r.set.data.reduce((a, b) => Math.max(a, b))).toBe(255);
    expect(r.set.data.reduce((a, b) => Math.min(a, b))).toBe(0);
    expect(ctx.progressCalls.at(-1)).toEqual([1000, 1000, 'files']);
    expect(image.info({ width: 28, height: 28, resizeMode: 'squash', colorDepth: 'Grayscale' })).toEqual({ shape: [28, 28, 1] });
  });

  it('resizes to RGB [h, w, 3] (gray source: R = G = B)', async () => {
    const index = indexDir(mnist, { limit: 3, labels: ['7'] });
    const r = await image.run(fakeContext(), index, { dataRoot: mnist, onError: 'stop' }, { width: 48, height: 32, resizeMode: 'fit-long', colorDepth: 'RGB' });
    expect(r.set.shape).toEqual([32, 48, 3]);
    const row = rowOf(r.set, 0);
    for (let i = 0; i < 32 * 48; i++) expect(row[i * 3]).toBe(row[i * 3 + 1]);
    // fit-long: 28×28 → 32×32 centred in 48 columns; column 0 is padding.
    expect(row[0]).toBe(0);
  });

  it('reads JPEG files (.jpg / .jpeg)', async () => {
    const root = tempDir();
    const rgba = new Uint8Array(40 * 30 * 4).map((_, i) => (i % 4 === 0 ? 200 : i % 4 === 3 ? 255 : 40));
    const file = new Uint8Array(jpeg.encode({ width: 40, height: 30, data: rgba }, 90).data);
    put(root, 'red/a.jpg', file);
    put(root, 'red/b.jpeg', file);
    const r = await image.run(fakeContext(), indexOf([sample('red/a.jpg'), sample('red/b.jpeg')]), { dataRoot: root, onError: 'stop' }, { width: 20, height: 20, resizeMode: 'fit-short', colorDepth: 'RGB' });
    expect(r.set.shape).toEqual([20, 20, 3]);
    expect(r.set.rows.length).toBe(2);
    const row = rowOf(r.set, 1);
    expect(Math.abs((row[0] ?? 0) - 200)).toBeLessThan(6);
    expect(Math.abs((row[1] ?? 0) - 40)).toBeLessThan(6);
  });
});
