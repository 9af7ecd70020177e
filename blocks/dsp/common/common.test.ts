import { describe, expect, test } from 'vitest';
import { symmetricIndex } from './cmvn.js';
import { dctMatrix } from './dct.js';
import { isPowerOfTwo } from './errors.js';
import { sumF32 } from './f32.js';
import { framing, secondsToSamples } from './framing.js';
import { butterSos, cheby1Sos, maxPoleMagnitude, sosfiltZi } from './iir.js';
import { melFilterbank } from './mel.js';
import { RealFft } from './rfft.js';
import { moments } from './stats.js';
import { wavedec, waveletFilters } from './wavelet.js';
import { parseWavInt16 } from '../testing/read-wav-int16.js';

const close = (got: readonly number[], want: readonly number[], tol: number): void => {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(Math.abs(g - (want[i] as number)), `[${i}] ${g} vs ${want[i]}`).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i] as number))));
};

describe('framing', () => {
  test('ceil unless within 0.001 of the floor', () => {
    expect(secondsToSamples(8000, 0.02)).toBe(160);
    expect(secondsToSamples(16000, 0.018)).toBe(288);
    expect(secondsToSamples(8000, 0.0201)).toBe(161);
    expect(secondsToSamples(100, 0.025)).toBe(3);
  });
  test('frame count floor((N − (L − S)) / S)', () => {
    expect(framing(5958, 8000, 0.02, 0.02).count).toBe(37);
    expect(framing(5958, 8000, 0.02, 0.01).count).toBe(73);
    expect(framing(100, 8000, 0.02, 0.01).count).toBeLessThan(1);
  });
});

describe('numerics as numpy does them', () => {
  test('float32 sums are numpy.sum of a float32 array (pairwise, float32 accumulators)', () => {
    const a = Float32Array.from({ length: 300 }, (_, i) => Math.fround(1 + Math.fround(i * Math.fround(1e-3))));
    expect(sumF32(a)).toBe(344.8499755859375);
    // 1e8, 200 × 1, −1e8: numpy gives 192 (naive float32 summation would give 0)
    const b = Float32Array.from([1e8, ...new Array<number>(200).fill(1), -1e8]);
    expect(sumF32(b)).toBe(192);
  });
  test("numpy.pad 'symmetric' indices, repeated past the ends", () => {
    // np.pad([1,2,3], (7,7), 'symmetric') = [1 1 2 3 3 2 1 | 1 2 3 | 3 2 1 1 2 3 3]
    const idx = Array.from({ length: 17 }, (_, p) => symmetricIndex(p - 7, 3) + 1);
    expect(idx).toEqual([1, 1, 2, 3, 3, 2, 1, 1, 2, 3, 3, 2, 1, 1, 2, 3, 3]);
  });
  test('moments: scipy skew/kurtosis (float32), 0 instead of NaN for a constant vector', () => {
    const tmp = new Float32Array(16);
    const m = moments(Float32Array.of(1, 2, 3, 4, 10), tmp);
    expect(m.skewness).toBeCloseTo(1.1384199576606167, 6);
    expect(m.kurtosis).toBeCloseTo(-0.21199999999999974, 6);
    const c = moments(new Float32Array(10).fill(7), tmp);
    expect([c.skewness, c.kurtosis]).toEqual([0, 0]);
  });
  test('powers of two', () => {
    expect([1, 2, 16, 256, 3, 0, 12, 2.5].map(isPowerOfTwo)).toEqual([true, true, true, true, false, false, false, false]);
  });
});

describe('FFT power spectrum (float32)', () => {
  test('matches a float64 DFT within 2e-6 of the largest bin; the energy is the sum of the bins', () => {
    for (const n of [2, 4, 8, 16, 32, 128, 512]) {
      const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.3) * 100 + (i % 3) + 7);
      for (const len of [n, n - 1, 1]) {
        const work = new Float32Array(n);
        work.set(x.subarray(0, len));
        const out = new Float32Array(n / 2 + 1);
        const energy = new RealFft(n).power(work, out);
        const want: number[] = [];
        for (let k = 0; k <= n / 2; k++) {
          let re = 0;
          let im = 0;
          for (let t = 0; t < len; t++) {
            re += (x[t] as number) * Math.cos((2 * Math.PI * k * t) / n);
            im -= (x[t] as number) * Math.sin((2 * Math.PI * k * t) / n);
          }
          want.push((re * re + im * im) / n);
        }
        const top = Math.max(...want);
        want.forEach((w, k) => expect(Math.abs((out[k] as number) - w) / top, `n ${n}, len ${len}, bin ${k}`).toBeLessThan(2e-6));
        const total = want.reduce((a, b) => a + b, 0);
        expect(Math.abs(energy - total) / total).toBeLessThan(2e-6);
      }
    }
  });
});

describe('filters (scipy.signal values)', () => {
  test('butter(6, 6/26, low, sos)', () => {
    close(butterSos(6, 6 / 26, 'low').flat(), [
      [0.0007042113377843288, 0.0014084226755686575, 0.0007042113377843288, 1.0, -0.9125245857775368, 0.21912021705390927],
      [1.0, 2.0, 1.0, 1.0, -1.0191456165269015, 0.36156443847608777],
      [1.0, 2.0, 1.0, 1.0, -1.2777268112527196, 0.7070253358080645],
    ].flat(), 1e-13);
  });
  test('butter(4, 0.3, high, sos)', () => {
    close(butterSos(4, 0.3, 'high').flat(), [
      [0.27541328807230436, -0.5508265761446087, 0.27541328807230436, 1.0, -0.6727409111915273, 0.14453519983312102],
      [1.0, -2.0, 1.0, 1.0, -0.8976579400366445, 0.5271869046315972],
    ].flat(), 1e-13);
  });
  test('cheby1(8, 0.05, 0.08, sos) and sosfilt_zi (the decimation filter)', () => {
    const sos = cheby1Sos(8, 0.05, 0.8 / 10);
    close(sos.flat(), [
      [3.5863243209995207e-9, 7.172648641999041e-9, 3.5863243209995207e-9, 1.0, -1.8204968644767618, 0.8308597403796137],
      [1.0, 2.0, 1.0, 1.0, -1.8289505620176847, 0.8553173710387741],
      [1.0, 2.0, 1.0, 1.0, -1.8517334482627625, 0.9015161055713813],
      [1.0, 2.0, 1.0, 1.0, -1.8965395961864169, 0.9644245584642932],
    ].flat(), 1e-12);
    close(Array.from(sosfiltZi(sos)), [1.3807106042999696e-6, -1.1465702624013156e-6, 0.0002086216886290153, -0.00017823747054094327, 0.01666382091811615, -0.01500202073072795, 0.9773862470492866, -0.9420150059170855], 1e-9);
    expect(maxPoleMagnitude(sos)).toBeLessThan(1);
  });
});

describe('wavelets (pywt values)', () => {
  test("wavedec(x, 'db2', level=1), symmetric mode", () => {
    const [a, d] = wavedec(Float32Array.of(3, -1, 4, 1, -5, 9, 2, -6, 5, 3), waveletFilters('db2')!, 1);
    close(Array.from(a!), [2.8284271247461903, 1.3795383853125878, 0.4829629131445341, 6.33857703930919, -3.3206812235814938, 4.949747468305834], 1e-6);
    close(Array.from(d!), [2.4494897427831783, 2.69901760219493, -9.271029695236903, 3.200562886721002, 3.8197369424049974, -1.224744871391589], 1e-6);
  });
});

describe('mel filterbank and DCT', () => {
  test('filters are triangles on the reference bins; a filterbank with empty filters is refused', () => {
    const fb = melFilterbank('t', 32, 256, 8000, 0, 4000);
    expect(fb.numFilters).toBe(32);
    for (const w of fb.weights) expect(Math.max(...w)).toBeCloseTo(1, 12);
    expect(() => melFilterbank('t', 128, 256, 8000, 0, 4000)).toThrow(/covers no FFT bin/);
  });
  test('DCT-II ortho matrix is orthonormal', () => {
    const n = 8;
    const m = dctMatrix(n, n);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += (m[a * n + i] as number) * (m[b * n + i] as number);
        expect(dot).toBeCloseTo(a === b ? 1 : 0, 12);
      }
    }
  });
});

describe('test WAV reader', () => {
  test('reads 16-bit PCM, refuses other formats', () => {
    const samples = [0, 1, -1, 32767, -32768];
    const buf = new Uint8Array(44 + samples.length * 2);
    const dv = new DataView(buf.buffer);
    const put = (o: number, s: string) => [...s].forEach((c, i) => (buf[o + i] = c.charCodeAt(0)));
    put(0, 'RIFF');
    dv.setUint32(4, 36 + samples.length * 2, true);
    put(8, 'WAVE');
    put(12, 'fmt ');
    dv.setUint32(16, 16, true);
    dv.setUint16(20, 1, true);
    dv.setUint16(22, 1, true);
    dv.setUint32(24, 8000, true);
    dv.setUint32(28, 16000, true);
    dv.setUint16(32, 2, true);
    dv.setUint16(34, 16, true);
    put(36, 'data');
    dv.setUint32(40, samples.length * 2, true);
    samples.forEach((s, i) => dv.setInt16(44 + 2 * i, s, true));
    const wav = parseWavInt16(buf);
    expect(wav.sampleRate).toBe(8000);
    expect(Array.from(wav.samples)).toEqual(samples);
    dv.setUint16(34, 8, true);
    expect(() => parseWavInt16(buf)).toThrow(/16-bit PCM/);
    expect(() => parseWavInt16(new Uint8Array(10))).toThrow(/RIFF/);
  });
});
