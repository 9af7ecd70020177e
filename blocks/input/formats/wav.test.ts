import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetsDir } from '../../../test/support/shared.js';
import { wavBytes } from '../test-helpers.js';
import { SampleDecodeError } from './errors.js';
import { decodeWav } from './wav.js';

/** Minimal independent reading of a canonical 44-byte-header 16-bit PCM WAV. */
function readInt16Wav(buf: Buffer): { rate: number; values: number[] } {
  expect(buf.toString('ascii', 0, 4)).toBe('RIFF');
  expect(buf.toString('ascii', 36, 40)).toBe('data');
  const n = buf.readUInt32LE(40) / 2;
  const values: number[] = [];
  for (let i = 0; i < n; i++) values.push(buf.readInt16LE(44 + 2 * i));
  return { rate: buf.readUInt32LE(24), values };
}

describe('decodeWav on real data (fsdd)', () => {
  const manifest = readFileSync(path.join(datasetsDir, 'fsdd/manifest.csv'), 'utf8').trim().split('\n').slice(1);
  const picks = manifest.filter((_, i) => i % 97 === 0).map((l) => l.split(','));

  it.each(picks.map((p) => [p[0] as string, Number(p[4]), Number(p[5])]))('%s matches an independent int16 reading', (rel, rate, frames) => {
    const buf = readFileSync(path.join(datasetsDir, 'fsdd', rel));
    const w = decodeWav(new Uint8Array(buf));
    const ref = readInt16Wav(buf);
    expect(w.frequency).toBe(rate);
    expect(w.frequency).toBe(ref.rate);
    expect(w.channels).toBe(1);
    expect(w.frames).toBe(frames);
    expect(w.bitsPerSample).toBe(16);
    expect(Array.from(w.data)).toEqual(ref.values);
  });

  it('keeps int16 values on the int16 scale', () => {
    const w = decodeWav(new Uint8Array(readFileSync(path.join(datasetsDir, 'fsdd/0/0_george_10.wav'))));
    // First samples of the file: 0xff51 = -175, 0xfe03 = -509, 0x0125 = 293.
    expect(Array.from(w.data.subarray(0, 3))).toEqual([-175, -509, 293]);
    expect(Math.max(...w.data.map(Math.abs))).toBeGreaterThan(1000);
  });
});

describe('decodeWav bit depths and layouts', () => {
  it('8-bit unsigned → (v - 128) · 256', () => {
    const w = decodeWav(wavBytes({ rate: 8000, channels: 1, bits: 8, samples: [0, 128, 255, 64] }));
    expect(Array.from(w.data)).toEqual([-32768, 0, 32512, -16384]);
  });

  it('16-bit kept as is', () => {
    const w = decodeWav(wavBytes({ rate: 16000, channels: 1, bits: 16, samples: [-32768, -1, 0, 1, 32767] }));
    expect(w.frequency).toBe(16000);
    expect(Array.from(w.data)).toEqual([-32768, -1, 0, 1, 32767]);
  });

  it('24-bit → v / 256', () => {
    const w = decodeWav(wavBytes({ rate: 8000, channels: 1, bits: 24, samples: [-8388608, 8388607, 256, -256, 0x123456] }));
    expect(Array.from(w.data)).toEqual([-32768, Math.fround(8388607 / 256), 1, -1, Math.fround(0x123456 / 256)]);
  });

  it('32-bit int → v / 65536', () => {
    const w = decodeWav(wavBytes({ rate: 8000, channels: 1, bits: 32, samples: [-2147483648, 2147483647, 65536, -131072] }));
    expect(Array.from(w.data)).toEqual([-32768, Math.fround(2147483647 / 65536), 1, -2]);
  });

  it('float32 → v · 32768', () => {
    const w = decodeWav(wavBytes({ rate: 44100, channels: 1, bits: 32, format: 3, samples: [-1, 0.5, 0, 0.25] }));
    expect(w.encoding).toBe('float');
    expect(Array.from(w.data)).toEqual([-32768, 16384, 0, 8192]);
  });

  it('stereo stays interleaved per frame', () => {
    const w = decodeWav(wavBytes({ rate: 8000, channels: 2, bits: 16, samples: [1, -1, 2, -2, 3, -3] }));
    expect(w.channels).toBe(2);
    expect(w.frames).toBe(3);
    expect(Array.from(w.data)).toEqual([1, -1, 2, -2, 3, -3]);
  });

  it('WAVE_FORMAT_EXTENSIBLE, PCM 24-bit stereo and float', () => {
    const pcm = decodeWav(wavBytes({ rate: 48000, channels: 2, bits: 24, extensible: true, samples: [256, -512, 768, -1024] }));
    expect([pcm.frequency, pcm.channels, pcm.frames]).toEqual([48000, 2, 2]);
    expect(Array.from(pcm.data)).toEqual([1, -2, 3, -4]);
    const flt = decodeWav(wavBytes({ rate: 8000, channels: 1, bits: 32, format: 3, extensible: true, samples: [0.5] }));
    expect(Array.from(flt.data)).toEqual([16384]);
  });

  it('skips unknown (odd-sized, padded) chunks before the data', () => {
    const w = decodeWav(wavBytes({ rate: 8000, channels: 1, bits: 16, samples: [7, 8, 9], extraChunk: true }));
    expect(Array.from(w.data)).toEqual([7, 8, 9]);
  });

  it('throws SampleDecodeError with a reason on corrupt input', () => {
    expect(() => decodeWav(new Uint8Array(0))).toThrow(new SampleDecodeError('file is empty'));
    const cut = wavBytes({ rate: 8000, channels: 1, bits: 16, samples: [1, 2, 3, 4] }).subarray(0, 48);
    expect(() => decodeWav(cut)).toThrow("truncated WAV: the 'data' chunk declares 8 bytes but only 4 are present");
  });
});
