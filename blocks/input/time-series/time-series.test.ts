import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rowOf } from '../../../core/artifact/types.js';
import { ImpulseError } from '../../../core/errors/impulse-error.js';
import { datasetsDir } from '../../../test/support/shared.js';
import { eiMessage, fakeContext, indexDir, indexOf, put, sample, signedCbor, signedJson, tempDir, wavBytes } from '../test-helpers.js';
import { parseDuration } from './duration.js';
import timeSeries from './index.js';
import type { TimeSeriesParams } from './params.js';
import { resampleLinear, windowStarts } from './window.js';

type P = Partial<Omit<TimeSeriesParams, 'window'>> & { window?: Partial<TimeSeriesParams['window']> };
const params = (p: P): TimeSeriesParams => p as TimeSeriesParams;

async function run(root: string, ids: readonly string[], p: P, onError: 'stop' | 'skip' = 'stop') {
  return timeSeries.run(fakeContext(), indexOf(ids.map((id) => sample(id))), { dataRoot: root, onError }, params(p));
}

/** A 1-axis CSV of values 0..n-1 at `hz`, with timestamps. */
function ramp(n: number, hz: number): string {
  return ['timestamp,v', ...Array.from({ length: n }, (_, i) => `${(i * 1000) / hz},${i}`)].join('\n');
}

describe('parseDuration', () => {
  it('accepts ms numbers and strings with units', () => {
    expect(parseDuration(1000)).toBe(1000);
    expect(parseDuration('1000ms')).toBe(1000);
    expect(parseDuration('2s')).toBe(2000);
    expect(parseDuration('0.5 s')).toBe(500);
    expect(parseDuration('12.5ms')).toBe(12.5);
  });

  it.each([['1000'], ['2 min'], ['-1s'], ['s'], [0], [-5], [Number.NaN], [''], [null]])('rejects %s with E_SPEC_DURATION', (v) => {
    try {
      parseDuration(v, 'input.window.size');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ImpulseError);
      expect((e as ImpulseError).code).toBe('E_SPEC_DURATION');
      expect((e as ImpulseError).message).toMatch(/^input\.window\.size: .* is not a valid duration$/);
    }
  });

  it('invalid window durations fail the block', async () => {
    await expect(run(tempDir(), [], { frequency: 100, window: { size: '1 minute' } })).rejects.toMatchObject({ code: 'E_SPEC_DURATION' });
  });
});

describe('windowing', () => {
  it('windowStarts: from 0 by stride while a window fits', () => {
    expect(windowStarts(10, 4, 2)).toEqual([0, 2, 4, 6]);
    expect(windowStarts(10, 4, 4)).toEqual([0, 4]);
    expect(windowStarts(10, 10, 1)).toEqual([0]);
    expect(windowStarts(9, 10, 1)).toEqual([]);
    expect(windowStarts(100, 10, 30)).toEqual([0, 30, 60, 90]);
  });

  it('counts, strides and values of windows; rows carry label, split and window index', async () => {
    const root = tempDir();
    put(root, 'a/x.csv', ramp(100, 100)); // 1 s at 100 Hz
    const r = await timeSeries.run(fakeContext(), indexOf([sample('a/x.csv', 'a', 'testing')]), { dataRoot: root, onError: 'stop' }, params({ frequency: 100, window: { size: '300ms', stride: '200ms' } }));
    expect(r.set.shape).toEqual([30, 1]);
    expect(r.set.rows.length).toBe(4); // starts 0, 20, 40, 60 (80 + 30 > 100)
    expect(r.set.rows.map((row) => row.window)).toEqual([0, 1, 2, 3]);
    expect(r.set.rows.every((row) => row.label === 'a' && row.split === 'testing' && row.sample === 'a/x.csv')).toBe(true);
    expect(Array.from(rowOf(r.set, 2)).slice(0, 3)).toEqual([40, 41, 42]);
    expect(rowOf(r.set, 3)[29]).toBe(89);
    expect(r.set.attrs).toEqual({ frequency: 100, axes: ['v'] });
  });

  it('window sizes in frames are round(size · f / 1000); numbers are ms', async () => {
    const root = tempDir();
    put(root, 'a/x.csv', ramp(1000, 26));
    const r = await run(root, ['a/x.csv'], { frequency: 26, window: { size: 2000, stride: '1s' } });
    expect(r.set.shape).toEqual([52, 1]);
    expect(r.set.rows.length).toBe(Math.floor((1000 - 52) / 26) + 1);
    expect(timeSeries.info(params({ frequency: 26, window: { size: 2000 }, axes: ['x', 'y', 'z'] }))).toEqual({ shape: [52, 3], frequency: 26, axes: ['x', 'y', 'z'] });
  });

  it("zero-pads a short sample to one window (pad: 'zero')", async () => {
    const root = tempDir();
    put(root, 'a/short.csv', ramp(5, 100));
    const r = await run(root, ['a/short.csv'], { frequency: 100, window: { size: '100ms', stride: '100ms', pad: 'zero' } });
    expect(r.set.rows.length).toBe(1);
    expect(Array.from(rowOf(r.set, 0))).toEqual([0, 1, 2, 3, 4, 0, 0, 0, 0, 0]);
  });

  it("skips a short sample with its reason (pad: 'none'), even when onError is 'stop'", async () => {
    const root = tempDir();
    put(root, 'a/short.csv', ramp(5, 100));
    put(root, 'a/long.csv', ramp(20, 100));
    const r = await run(root, ['a/long.csv', 'a/short.csv'], { frequency: 100, window: { size: '100ms', stride: '100ms', pad: 'none' } });
    expect(r.set.rows.length).toBe(2);
    expect(r.skipped).toEqual([{ sample: 'a/short.csv', reason: "shorter than one window (50 ms < 100 ms); input.window.pad is 'none'" }]);
  });

  it('a frequency mismatch is an error naming the file; resample: true resamples linearly', async () => {
    const root = tempDir();
    put(root, 'a/100.csv', ramp(100, 100));
    put(root, 'a/50.csv', ramp(50, 50));
    const err = await run(root, ['a/100.csv', 'a/50.csv'], { frequency: 100, window: { size: '200ms', stride: '200ms' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImpulseError);
    expect((err as ImpulseError).headline()).toBe('sample a/50.csv: sampled at 50 Hz, but input.frequency is 100 Hz');
    expect((err as ImpulseError).hint).toMatch(/input\.resample: true/);

    const r = await run(root, ['a/100.csv', 'a/50.csv'], { frequency: 100, window: { size: '200ms', stride: '200ms' }, resample: true });
    // a/50.csv: 50 frames at 50 Hz → 99 frames at 100 Hz (0, 0.5, 1, ... 49).
    const rows = r.set.rows.map((row, i) => [row.sample, i] as const).filter(([s]) => s === 'a/50.csv');
    expect(rows.length).toBe(Math.floor((99 - 20) / 20) + 1);
    expect(Array.from(rowOf(r.set, rows[0]?.[1] ?? -1)).slice(0, 5)).toEqual([0, 0.5, 1, 1.5, 2]);
  });

  it('frequency 0 takes it from the first file; a later file at another rate names both', async () => {
    const root = tempDir();
    put(root, 'a/1.wav', wavBytes({ rate: 8000, channels: 1, bits: 16, samples: new Array(800).fill(1) }));
    put(root, 'a/2.wav', wavBytes({ rate: 16000, channels: 1, bits: 16, samples: new Array(1600).fill(1) }));
    const ok = await run(root, ['a/1.wav'], { window: { size: '50ms', stride: '50ms' } });
    expect(ok.set.attrs).toEqual({ frequency: 8000, axes: ['audio'] });
    expect(ok.set.shape).toEqual([400, 1]);
    await expect(run(root, ['a/1.wav', 'a/2.wav'], { window: { size: '50ms', stride: '50ms' } })).rejects.toThrow(
      'sampled at 16000 Hz, but a/1.wav (the first file) is 8000 Hz',
    );
  });

  it('timestamps may jitter (within 1 %); a declared rate 1 % off is a mismatch', async () => {
    const root = tempDir();
    put(root, 'a/jitter.csv', 'timestamp,audio\n0,1\n11,2\n19,3\n30,4\n40,5\n50,6\n61,7\n70,8\n80,9\n89,10\n100,11\n');
    put(root, 'a/8080.wav', wavBytes({ rate: 8080, channels: 1, bits: 16, samples: [1, 2, 3] }));
    const r = await run(root, ['a/jitter.csv'], { frequency: 100, window: { size: '100ms', stride: '100ms' } });
    expect(Array.from(rowOf(r.set, 0))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    await expect(run(root, ['a/8080.wav'], { frequency: 8000 })).rejects.toThrow('sampled at 8080 Hz, but input.frequency is 8000 Hz');
  });

  it('a rejected first file does not set the frequency or axes for the others', async () => {
    const root = tempDir();
    put(root, 'a/0-bad.wav', wavBytes({ rate: 16000, channels: 2, bits: 32, format: 3, samples: [0, Number.NaN] }));
    put(root, 'a/1.wav', wavBytes({ rate: 8000, channels: 1, bits: 16, samples: new Array(400).fill(3) }));
    const r = await run(root, ['a/0-bad.wav', 'a/1.wav'], { window: { size: '50ms', stride: '50ms' } }, 'skip');
    expect(r.skipped).toEqual([{ sample: 'a/0-bad.wav', reason: "non-finite value (NaN) at frame 0, axis 'audio1'" }]);
    expect(r.set.attrs).toEqual({ frequency: 8000, axes: ['audio'] });
    expect(r.set.rows.length).toBe(1);
  });

  it('resampleLinear keeps the endpoints and interpolates', () => {
    const r = resampleLinear(Float32Array.from([0, 10, 2, 20, 4, 40]), 3, 2, 2, 4);
    expect(r.frames).toBe(5);
    expect(Array.from(r.data)).toEqual([0, 10, 1, 15, 2, 20, 3, 30, 4, 40]);
  });

  it('keeps and orders the requested axes', async () => {
    const root = tempDir();
    put(root, 'a/x.csv', 'timestamp,x,y,z\n0,1,2,3\n10,4,5,6\n');
    const r = await run(root, ['a/x.csv'], { axes: ['z', 'x'], window: { size: '20ms', stride: '20ms' } });
    expect(r.set.shape).toEqual([2, 2]);
    expect(Array.from(r.set.data)).toEqual([3, 1, 6, 4]);
    expect(r.set.attrs).toEqual({ frequency: 100, axes: ['z', 'x'] });
  });
});

describe('time-series on real data and every format', () => {
  it('reads all 2400 fsdd WAVs fast, zero-padding to 1 s windows', async () => {
    const root = path.join(datasetsDir, 'fsdd');
    const index = indexDir(root);
    expect(index.samples.length).toBe(2400);
    const ctx = fakeContext();
    const t0 = performance.now();
    const r = await timeSeries.run(ctx, index, { dataRoot: root, onError: 'stop' }, params({ frequency: 8000, window: { size: '1000ms', stride: '1000ms' } }));
    const ms = performance.now() - t0;
    expect(ms).toBeLessThan(4000);
    expect(r.skipped).toEqual([]);
    expect(r.set.shape).toEqual([8000, 1]);
    const manifest = readFileSync(path.join(root, 'manifest.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    const expectedRows = manifest.reduce((n, m) => n + Math.max(1, Math.floor((Number(m[5]) - 8000) / 8000) + 1), 0);
    expect(r.set.rows.length).toBe(expectedRows);
    expect(r.set.labels).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    // Row 0 = 0/0_george_10.wav: its int16 samples, then zeros.
    const buf = readFileSync(path.join(root, '0/0_george_10.wav'));
    const n = buf.readUInt32LE(40) / 2;
    const row0 = rowOf(r.set, 0);
    expect(row0[0]).toBe(buf.readInt16LE(44));
    expect(row0[n - 1]).toBe(buf.readInt16LE(44 + 2 * (n - 1)));
    expect(row0[n]).toBe(0);
    expect(ctx.progressCalls.at(-1)).toEqual([2400, 2400, 'files']);
    expect(ctx.progressCalls.length).toBeGreaterThan(10);
  });

  it('reads st_har CSVs (headerless) with axes and frequency from the impulse', async () => {
    const root = path.join(datasetsDir, 'st_har');
    const index = indexDir(root);
    const r = await timeSeries.run(fakeContext(), index, { dataRoot: root, onError: 'stop' }, params({ frequency: 26, axes: ['x', 'y', 'z'], window: { size: '2000ms', stride: '1000ms' } }));
    expect(r.set.shape).toEqual([52, 3]);
    expect(r.set.attrs).toEqual({ frequency: 26, axes: ['x', 'y', 'z'] });
    expect(r.set.rows.length).toBe(index.samples.length * (Math.floor((1000 - 52) / 26) + 1));
    expect(r.set.labels).toEqual(['running', 'stationary', 'walking']);
    const first = readFileSync(path.join(root, index.samples[0]?.id ?? ''), 'utf8').split('\n')[0]?.split(',').map(Number);
    expect(Array.from(rowOf(r.set, 0).subarray(0, 3))).toEqual(first);
  });

  it('reads WAVs of every depth, stereo, CSV, EI JSON and CBOR in one impulse', async () => {
    const root = tempDir();
    const KEY = 'secret';
    const frames = 20; // 100 Hz, 200 ms
    const ints = Array.from({ length: frames * 2 }, (_, i) => i);
    put(root, 'a/pcm8.wav', wavBytes({ rate: 100, channels: 2, bits: 8, samples: ints.map((v) => 128 + v) }));
    put(root, 'a/pcm16.wav', wavBytes({ rate: 100, channels: 2, bits: 16, samples: ints }));
    put(root, 'a/pcm24.wav', wavBytes({ rate: 100, channels: 2, bits: 24, samples: ints.map((v) => v * 256) }));
    put(root, 'a/pcm32.wav', wavBytes({ rate: 100, channels: 2, bits: 32, samples: ints.map((v) => v * 65536) }));
    put(root, 'a/float.wav', wavBytes({ rate: 100, channels: 2, bits: 32, format: 3, samples: ints.map((v) => v / 32768) }));
    put(root, 'b/t.csv', ['timestamp,audio0,audio1', ...Array.from({ length: frames }, (_, i) => `${i * 10},${2 * i},${2 * i + 1}`)].join('\n'));
    const ei = { device_type: 'T', interval_ms: 10, sensors: [{ name: 'audio0', units: 'u' }, { name: 'audio1', units: 'u' }], values: Array.from({ length: frames }, (_, i) => [2 * i, 2 * i + 1]) };
    put(root, 'b/e.json', signedJson(eiMessage(ei), KEY));
    put(root, 'b/e.cbor', signedCbor(eiMessage(ei), KEY));
    const ids = ['a/pcm8.wav', 'a/pcm16.wav', 'a/pcm24.wav', 'a/pcm32.wav', 'a/float.wav', 'b/t.csv', 'b/e.json', 'b/e.cbor'];
    const r = await run(root, ids, { window: { size: '200ms', stride: '200ms' }, hmacKey: KEY });
    expect(r.set.shape).toEqual([20, 2]);
    expect(r.set.rows.map((row) => row.sample)).toEqual(ids);
    const scale = [256, 1, 1, 1, 1, 1, 1, 1]; // 8-bit: (v + 128 - 128) · 256
    ids.forEach((_, i) => expect(Array.from(rowOf(r.set, i))).toEqual(ints.map((v) => v * (scale[i] ?? 1))));
  });
});
