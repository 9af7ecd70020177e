/**
 * A plugin used by the core tests, written as a plugin author would (importing 'impulse-kit'):
 * a CSV input, three DSP blocks and a nearest-centroid learner, all tiny and exact.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Type } from '@sinclair/typebox';
import { defineBlock, type TensorSet } from 'impulse-kit';

export const numbers = defineBlock({
  kind: 'input',
  type: 'test-numbers',
  version: 1,
  title: 'numbers',
  description: 'Each file: lines of comma-separated numbers (frames × axes); one window of the first `frames` frames.',
  output: 'signal',
  params: Type.Object({ frames: Type.Integer({ minimum: 1, default: 4, description: 'frames per window' }), axes: Type.Integer({ minimum: 1, default: 1, description: 'values per line' }) }),
  info: (p) => ({ shape: [p.frames, p.axes], frequency: 1, axes: Array.from({ length: p.axes }, (_, i) => `a${i}`) }),
  async run(ctx, samples, options, p) {
    const n = p.frames * p.axes;
    const data = new Float32Array(samples.samples.length * n);
    samples.samples.forEach((s, i) => {
      const values = readFileSync(path.join(options.dataRoot, s.id), 'utf8').trim().split(/[\n,]/).map(Number).slice(0, n);
      data.set(values, i * n);
      ctx.progress(i + 1, samples.samples.length, 'files');
    });
    const set: TensorSet = {
      kind: 'signal',
      shape: [p.frames, p.axes],
      rows: samples.samples.map((s) => ({ sample: s.id, label: s.label, split: s.split, window: 0 })),
      labels: samples.labels,
      data,
      attrs: { frequency: 1, axes: Array.from({ length: p.axes }, (_, i) => `a${i}`) },
    };
    return { set, skipped: [] };
  },
});

const mean = defineBlock({
  kind: 'dsp',
  type: 'test-mean',
  version: 1,
  title: 'mean',
  description: 'Mean of every axis, times `gain`.',
  accepts: ['signal'],
  module: import.meta.url,
  params: Type.Object({ gain: Type.Number({ default: 1, description: 'multiplier' }) }, { additionalProperties: false }),
  shape: (_p, info) => [info.shape[1] ?? 1],
  process(p, w, info) {
    const axes = info.shape[1] ?? 1;
    const out = new Float32Array(axes);
    for (let i = 0; i < w.length; i++) out[i % axes]! += w[i]! / (w.length / axes);
    return out.map((v) => v * p.gain);
  },
});

/** Clips at `max`: raising an already unreached max changes the key but not the output (early cutoff). */
const clip = defineBlock({
  kind: 'dsp',
  type: 'test-clip',
  version: 1,
  title: 'clip',
  description: 'min(x, max).',
  accepts: ['signal', 'features'],
  module: import.meta.url,
  params: Type.Object({ max: Type.Number({ default: 1e9, description: 'upper bound' }) }, { additionalProperties: false }),
  shape: (_p, info) => [...info.shape],
  process: (p, w) => w.map((v) => Math.min(v, p.max)),
});

/** Busy for `ms` per window (in a worker thread): makes overlap measurable. */
const slow = defineBlock({
  kind: 'dsp',
  type: 'test-slow',
  version: 1,
  title: 'slow',
  description: 'Copies the window after sleeping.',
  accepts: ['signal'],
  module: import.meta.url,
  params: Type.Object({ ms: Type.Number({ default: 10, description: 'milliseconds per window' }), tag: Type.String({ default: '', description: 'makes otherwise equal blocks distinct' }) }),
  shape: (_p, info) => [...info.shape],
  process(p, w) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, p.ms);
    return w.slice();
  },
});

const centroid = defineBlock({
  kind: 'learn',
  type: 'test-centroid',
  version: 1,
  title: 'nearest centroid',
  description: 'Class means; predicts softmax of negative distances.',
  task: 'classification',
  accepts: ['features'],
  params: Type.Object({}),
  async train(ctx, data) {
    const { writeFileSync } = await import('node:fs');
    const d = data.data.length / data.rows.length;
    const sums = data.labels.map(() => new Float64Array(d));
    const counts = data.labels.map(() => 0);
    data.rows.forEach((r, i) => {
      if (r.split !== 'training') return;
      const k = data.labels.indexOf(r.label);
      counts[k]!++;
      for (let j = 0; j < d; j++) sums[k]![j]! += data.data[i * d + j]!;
    });
    const centroids = sums.map((s, k) => [...s].map((v) => v / Math.max(1, counts[k]!)));
    writeFileSync(path.join(ctx.outDir, 'centroids.json'), JSON.stringify(centroids));
  },
  async predict(_ctx, dir, data) {
    const centroids = JSON.parse(readFileSync(path.join(dir, 'centroids.json'), 'utf8')) as number[][];
    const d = data.data.length / Math.max(1, data.rows.length);
    const out = new Float32Array(data.rows.length * centroids.length);
    data.rows.forEach((_r, i) => {
      const dist = centroids.map((c) => -Math.sqrt(c.reduce((a, v, j) => a + (v - data.data[i * d + j]!) ** 2, 0)));
      const m = Math.max(...dist);
      const e = dist.map((x) => Math.exp(x - m));
      const z = e.reduce((a, b) => a + b, 0);
      e.forEach((v, k) => (out[i * centroids.length + k] = v / z));
    });
    return out;
  },
});

/** Writes `files` outputs of 256 KiB with a pause between them: a window for a kill mid-write. */
const slowWriter = defineBlock({
  kind: 'learn',
  type: 'test-slow-writer',
  version: 1,
  title: 'slow writer',
  description: 'Writes large files slowly, then behaves like test-centroid.',
  task: 'classification',
  accepts: ['features'],
  params: Type.Object({ files: Type.Integer({ default: 8, description: 'files to write' }), pauseMs: Type.Integer({ default: 50, description: 'pause between files' }) }),
  async train(ctx, data, p) {
    const { writeFile } = await import('node:fs/promises');
    for (let i = 0; i < p.files; i++) {
      await writeFile(path.join(ctx.outDir, `blob-${i}.bin`), new Uint8Array(256 * 1024).fill(i));
      await new Promise((r) => setTimeout(r, p.pauseMs));
    }
    await centroid.train(ctx, data, {});
  },
  predict: (ctx, dir, data) => centroid.predict(ctx, dir, data, {}),
});

export default [numbers, mean, clip, slow, centroid, slowWriter];
