import { describe, expect, test } from 'vitest';
import { symmetricIndex } from './cmvn.js';
import { dctMatrix } from './dct.js';
import { isPowerOfTwo } from './errors.js';
import { roundHalfEven, sumF32 } from './f32.js';
import { PowerSpectrum } from './fft.js';
import { framing, secondsToSamples, signalEnd } from './framing.js';
import { LogTable } from './log-table.js';
import { butterSos, cheby1Sos, maxPoleMagnitude, sosfiltZi } from './iir.js';
import { melFilterbank } from './mel.js';
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
  test('round half to even', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, 2.4999, 255.5, 256.5].map(roundHalfEven)).toEqual([0, 2, 2, -0, -2, 2, 256, 256]);
  });
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
  test('moments: scipy skew/kurtosis, 0 instead of NaN for a constant vector', () => {
    const m = moments([1, 2, 3, 4, 10], false);
    expect(m.skewness).toBeCloseTo(1.1384199576606167, 12);
    expect(m.kurtosis).toBeCloseTo(-0.21199999999999974, 12);
    const c = moments(new Float64Array(10).fill(7), true);
    expect([c.skewness, c.kurtosis]).toEqual([0, 0]);
  });
  test('powers of two', () => {
    expect([1, 2, 16, 256, 3, 0, 12, 2.5].map(isPowerOfTwo)).toEqual([true, true, true, true, false, false, false, false]);
  });
});

describe('FFT power spectrum', () => {
  test('matches a direct DFT, with cropping and zero padding', () => {
    for (const n of [2, 4, 16, 128]) {
      const x = Array.from({ length: n + 5 }, (_, i) => Math.sin(i * 1.3) * 100 + (i % 3));
      for (const len of [n + 5, n - 1, 1]) {
        const ps = new PowerSpectrum(n);
        const out = new Float64Array(n / 2 + 1);
        const energy = ps.compute(x, 0, len, out, 0);
        const want: number[] = [];
        for (let k = 0; k <= n / 2; k++) {
          let re = 0;
          let im = 0;
          for (let t = 0; t < Math.min(n, len); t++) {
            re += (x[t] as number) * Math.cos((2 * Math.PI * k * t) / n);
            im -= (x[t] as number) * Math.sin((2 * Math.PI * k * t) / n);
          }
          want.push((re * re + im * im) / n);
        }
        close(Array.from(out), want, 1e-9);
        expect(energy).toBeCloseTo(want.reduce((a, b) => a + b, 0), 6);
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
    const [a, d] = wavedec([3, -1, 4, 1, -5, 9, 2, -6, 5, 3], waveletFilters('db2')!, 1, false);
    close(Array.from(a!), [2.8284271247461903, 1.3795383853125878, 0.4829629131445341, 6.33857703930919, -3.3206812235814938, 4.949747468305834], 1e-13);
    close(Array.from(d!), [2.4494897427831783, 2.69901760219493, -9.271029695236903, 3.200562886721002, 3.8197369424049974, -1.224744871391589], 1e-13);
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

describe('LogTable', () => {
  test('ln equals Math.log within 1e-11 over the whole normal range, table cell edges included', () => {
    const t = new LogTable(4096);
    let seed = 3;
    const next = () => (seed = (seed * 1664525 + 1013904223) % 4294967296) / 4294967296;
    for (let i = 0; i < 4096; i++) {
      // exponents from 2^-1020 to 2^1020; every 8th value sits exactly on a table cell boundary
      const m = i % 8 === 0 ? 1 + Math.floor(next() * 256) / 256 : 1 + next();
      t.values[i] = m * 2 ** Math.round(next() * 2040 - 1020);
    }
    for (let i = 0; i < 4096; i++) {
      const want = Math.log(t.values[i]!);
      expect(Math.abs(t.ln(i) - want), `ln(${t.values[i]})`).toBeLessThan(1e-11);
    }
  });
  test('zero, subnormals, negatives, ∞ and NaN behave like Math.log', () => {
    const specials = [0, -0, 5e-324, 2.2e-308, -1, -Infinity, Infinity, Number.NaN, Number.MAX_VALUE, Number.MIN_VALUE, 1, 2, 0.5];
    const t = new LogTable(specials.length);
    t.values.set(specials);
    specials.forEach((v, i) => {
      const want = Math.log(v);
      if (Number.isFinite(want)) expect(Math.abs(t.ln(i) - want), `ln(${v})`).toBeLessThan(1e-11);
      else expect(t.ln(i), `ln(${v})`).toBe(want);
    });
  });
});

describe('signalEnd', () => {
  test('one past the last non-zero sample', () => {
    expect(signalEnd(Float32Array.of(1, 0, 2, 0, 0), 5)).toBe(3);
    expect(signalEnd(Float32Array.of(0, 0, 0), 3)).toBe(0);
    expect(signalEnd(Float32Array.of(0, 0, -1), 3)).toBe(3);
    expect(signalEnd(Float32Array.of(1, 2, 0, 0), 2)).toBe(2);
  });
});
