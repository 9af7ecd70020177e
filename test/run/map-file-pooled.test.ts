/**
 * The dsp stage's pooled path: worker threads read row ranges from a file and write features into
 * another, in place. Checked against the in-process mapRows, from sources and from the built dist/
 * (where workers start without tsx and load a TypeScript block module through tsx's tsImport).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import spectrogram from '../../blocks/dsp/spectrogram/index.js';
import type { DspBlock, SignalInfo } from '../../core/plugin/types.js';
import { BATCH_ROWS, mapFilePooled } from '../../core/run/map-file-pooled.js';
import { mapRows } from '../../core/run/map-rows.js';
import { WorkerPool } from '../../core/run/worker-pool.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'impulse-map-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const readF32 = (file: string): Float32Array => {
  const b = readFileSync(file);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

/** rows × rowLength values of a deterministic chirp with noise and zero-padded tails. */
function rowsFile(rows: number, rowLength: number): { file: string; data: Float32Array } {
  const data = new Float32Array(rows * rowLength);
  let s = 1;
  for (let r = 0; r < rows; r++) {
    const len = rowLength - (r % 5) * 700; // some rows end in digital silence
    for (let i = 0; i < len; i++) {
      s = (s * 1103515245 + 12345) % 2147483648;
      data[r * rowLength + i] = Math.round(3000 * Math.sin((i * (r + 3)) / 40) + (s / 2147483648 - 0.5) * 200);
    }
  }
  const file = path.join(dir, `rows-${rows}x${rowLength}.bin`);
  writeFileSync(file, new Uint8Array(data.buffer));
  return { file, data };
}

const audio: SignalInfo = { shape: [4000, 1], frequency: 8000, axes: ['audio'] };
const params = { frameLength: 0.02, frameStride: 0.01, fftLength: 128, noiseFloorDb: -52 };

describe('mapFilePooled', () => {
  const rows = BATCH_ROWS * 2 + 37; // three batches, the last one partial
  const input = rowsFile(rows, 4000);
  const block = spectrogram as unknown as DspBlock;
  const outLength = block.shape(params as never, audio).reduce((a, b) => a * b, 1);
  const expected = mapRows(block, params as never, audio, input.data, 4000, outLength);

  test.each([1, 2])('with %i worker(s) equals mapRows in-process, every row in its place', async (workers) => {
    const pool = new WorkerPool(workers);
    const outputFile = path.join(dir, `out-${workers}.bin`);
    const progress: number[] = [];
    try {
      await mapFilePooled(pool, block, params, audio, { inputFile: input.file, outputFile }, { rows, rowLength: 4000, outLength }, (done) => progress.push(done));
    } finally {
      await pool.close();
    }
    const got = readF32(outputFile);
    expect(got.length).toBe(rows * outLength);
    expect(Buffer.from(got.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
    expect(progress.at(-1)).toBe(rows);
    expect(progress).toHaveLength(3);
  });

  test("a block's error reaches the caller with its message", async () => {
    const module = path.join(dir, 'throwing.mjs');
    writeFileSync(
      module,
      `export default { kind: 'dsp', type: 'throws-on-row', process(p, w) { if (w[0] === 7) throw new Error('row starting with 7'); return new Float32Array(1); } };\n`,
    );
    const values = new Float32Array(10 * 4).fill(1);
    values[6 * 4] = 7;
    const inputFile = path.join(dir, 'seven.bin');
    writeFileSync(inputFile, new Uint8Array(values.buffer));
    const block = { kind: 'dsp', type: 'throws-on-row', module: pathToFileURL(module).href } as unknown as DspBlock;
    const pool = new WorkerPool(1);
    try {
      await expect(
        mapFilePooled(pool, block, {}, { shape: [4, 1] }, { inputFile, outputFile: path.join(dir, 'seven-out.bin') }, { rows: 10, rowLength: 4, outLength: 1 }),
      ).rejects.toThrow('row starting with 7');
    } finally {
      await pool.close();
    }
  });

  test('a worker thread that exits fails every batch it held, and the pool goes on with a new one', async () => {
    const module = path.join(dir, 'exits.mjs');
    writeFileSync(module, `export default { kind: 'dsp', type: 'exits', process(p, w) { if (w[0] === 9) process.exit(3); return Float32Array.of(w[0] * 2); } };\n`);
    const values = Float32Array.from({ length: 400 }, (_, i) => (i === 130 ? 9 : 1));
    const inputFile = path.join(dir, 'nine.bin');
    writeFileSync(inputFile, new Uint8Array(values.buffer));
    const block = { kind: 'dsp', type: 'exits', module: pathToFileURL(module).href } as unknown as DspBlock;
    const pool = new WorkerPool(1);
    try {
      await expect(
        mapFilePooled(pool, block, {}, { shape: [1, 1] }, { inputFile, outputFile: path.join(dir, 'nine-out.bin') }, { rows: 400, rowLength: 1, outLength: 1 }),
      ).rejects.toThrow(/exited \(code 3\)/);
      // rows without the 9 still map on a fresh worker
      const ok = path.join(dir, 'ones.bin');
      writeFileSync(ok, new Uint8Array(new Float32Array(300).fill(1).buffer));
      await mapFilePooled(pool, block, {}, { shape: [1, 1] }, { inputFile: ok, outputFile: path.join(dir, 'ones-out.bin') }, { rows: 300, rowLength: 1, outLength: 1 });
      expect([...readF32(path.join(dir, 'ones-out.bin'))]).toEqual(new Array(300).fill(2));
    } finally {
      await pool.close();
    }
  });

  test("built dist/: plain workers run a TypeScript block module (through tsx's tsImport, on demand)", async () => {
    const dist = path.resolve(import.meta.dirname, '../../dist/core/run');
    const { WorkerPool: DistPool } = (await import(pathToFileURL(path.join(dist, 'worker-pool.js')).href)) as typeof import('../../core/run/worker-pool.js');
    const { mapFilePooled: distMap } = (await import(pathToFileURL(path.join(dist, 'map-file-pooled.js')).href)) as typeof import('../../core/run/map-file-pooled.js');
    const module = path.join(dir, 'scaled-sum.ts');
    writeFileSync(
      module,
      `const scale: number = 2;\nexport default { kind: 'dsp', type: 'scaled-sum', process(_p: unknown, w: Float32Array): Float32Array { let s = 0; for (const v of w) s += v; return Float32Array.of(s * scale); } };\n`,
    );
    const values = Float32Array.from({ length: 300 * 3 }, (_, i) => i % 11);
    const inputFile = path.join(dir, 'sums.bin');
    writeFileSync(inputFile, new Uint8Array(values.buffer));
    const block = { kind: 'dsp', type: 'scaled-sum', module: pathToFileURL(module).href } as unknown as DspBlock;
    const pool = new DistPool(2);
    const outputFile = path.join(dir, 'sums-out.bin');
    try {
      await distMap(pool, block, {}, { shape: [3, 1] }, { inputFile, outputFile }, { rows: 300, rowLength: 3, outLength: 1 });
    } finally {
      await pool.close();
    }
    const got = [...readF32(outputFile)];
    expect(got).toEqual(Array.from({ length: 300 }, (_, r) => 2 * (((3 * r) % 11) + ((3 * r + 1) % 11) + ((3 * r + 2) % 11))));
  });
});
