/**
 * Unit tests of the shared C (blocks/dsp/common/c) against its TS twins, bit for bit (compared as
 * Uint32), built with gcc and clang (-O2 -ffp-contract=off, as the SDK builds): the real FFT at every
 * size 2 … 4096 (also against a float64 DFT), numpy-order float32 sums and moments, CMVN, one DWT
 * level, the 14 wavelet coefficient statistics, biquad cascades and decimation; and the float32
 * literals of c-emit.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bufferToFloats, compileC, EXACT_FLOAT_FLAGS, floatsToBuffer, haveCompiler, STRICT_C99_FLAGS, type CompiledProgram } from '../../../test/support/compile-c.js';
import { noise } from '../testing/helpers.js';
import { cFloat } from './c-emit.js';
import { C_SOURCES } from './c-sources.gen.js';
import { biquads, decimatorTables, fftPlan, twiddleCount } from './c-tables.js';
import { cmvn, paddedRows } from './cmvn.js';
import { f32 } from './f32.js';
import { butterSos, decimateF32, decimator, sosfiltF32, toFloat32Sections } from './iir.js';
import { RealFft } from './rfft.js';
import { moments, rms, sum, variance } from './stats.js';
import { coefficientFeatures, dwtLength, dwtStep, PERCENTILES, percentileIndex, waveletFilters } from './wavelet.js';

const SIZES = Array.from({ length: 12 }, (_, i) => 2 ** (i + 1)); // 2 … 4096
const FILTER = toFloat32Sections(butterSos(6, 6 / 26, 'low'));
const RATIOS = [3, 10];

function driver(): string {
  const plans = SIZES.map((n) => fftPlan(`p${n}`, n).code).join('\n');
  const decimators = RATIOS.map((r) => decimatorTables('t', r));
  return `#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "common/fft.h"
#include "common/iir.h"
#include "common/stats.h"
#include "common/cmvn.h"
#include "common/wavelet.h"
${plans}
${biquads('filter', FILTER, 'Butterworth low-pass, order 6').code}
${decimators.map((d) => d.code).join('\n')}
static const ik_decimator DECIMATORS[] = { ${decimators.map((d) => d.init).join(', ')} };
static const ik_rfft_plan *const PLANS[] = { ${SIZES.map((n) => `&p${n}_fft`).join(', ')} };
static float buf[3 * 65536];
static float out[65536];
static uint16_t rows_index[65536];
static uint32_t percentiles[5];
static uint32_t read_count(void)
{
    float v;
    if (fread(&v, sizeof v, 1, stdin) != 1) exit(0);
    return (uint32_t)v;
}
static void read_floats(float *p, uint32_t n)
{
    if (fread(p, sizeof(float), n, stdin) != n) exit(5);
}
int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    for (;;) {
        if (strcmp(mode, "fft") == 0) {
            uint32_t which = read_count(), n = PLANS[which]->n;
            read_floats(buf, n);
            out[n / 2 + 1] = ik_rfft_power(PLANS[which], buf, out);
            fwrite(out, sizeof(float), n / 2 + 2, stdout);
        } else if (strcmp(mode, "moments") == 0) {
            uint32_t n = read_count();
            ik_moments m;
            read_floats(buf, n);
            ik_moments_of(buf, n, buf + n, &m);
            out[0] = ik_sum(buf, n);
            out[1] = m.mean;
            out[2] = m.m2;
            out[3] = m.skewness;
            out[4] = m.kurtosis;
            out[5] = ik_rms(buf, n, buf + n);
            out[6] = ik_variance(buf, n, 1, buf + n);
            fwrite(out, sizeof(float), 7, stdout);
        } else if (strcmp(mode, "cmvn") == 0) {
            uint32_t rows = read_count(), cols = read_count(), win = read_count(), q;
            for (q = 0; q < rows + win - 1; q++) rows_index[q] = (uint16_t)read_count();
            read_floats(buf, rows * cols);
            ik_cmvn(buf, rows, cols, win, rows_index, out);
            fwrite(buf, sizeof(float), rows * cols, stdout);
        } else if (strcmp(mode, "dwt") == 0) {
            uint32_t n = read_count(), taps = read_count(), len;
            read_floats(buf, taps);
            read_floats(buf + taps, taps);
            read_floats(buf + 2 * taps, n);
            len = ik_dwt_length(n, taps);
            ik_dwt_step(buf + 2 * taps, n, buf, buf + taps, taps, out, out + len);
            fwrite(out, sizeof(float), 2 * len, stdout);
        } else if (strcmp(mode, "features") == 0) {
            uint32_t n = read_count(), i;
            for (i = 0; i < 5; i++) percentiles[i] = read_count();
            read_floats(buf, n);
            ik_wavelet_features(buf, n, percentiles, buf + n, buf + 2 * n, out + 64, out);
            fwrite(out, sizeof(float), IK_WAVELET_FEATURES, stdout);
        } else if (strcmp(mode, "sosfilt") == 0) {
            uint32_t n = read_count();
            read_floats(buf, n);
            ik_sosfilt(filter, ${FILTER.length}u, buf, n);
            fwrite(buf, sizeof(float), n, stdout);
        } else if (strcmp(mode, "decimate") == 0) {
            uint32_t which = read_count(), n = read_count(), len;
            float offset = 0.0f;
            read_floats(buf, n);
            len = ik_decimate(&DECIMATORS[which], buf, n, &offset);
            buf[len] = offset;
            fwrite(buf, sizeof(float), len + 1, stdout);
        } else {
            return 2;
        }
        fflush(stdout);
    }
}
`;
}

const COMPILERS = ['gcc', 'clang'].filter((c) => haveCompiler(c));
const programs = new Map<string, CompiledProgram>();

beforeAll(async () => {
  for (const compiler of COMPILERS) {
    const files = new Map<string, string>([['main.c', driver()]]);
    for (const [p, text] of C_SOURCES) files.set(`blocks/${p}`, text);
    programs.set(
      compiler,
      await compileC({
        files,
        compiler,
        includeDirs: ['blocks'],
        flags: [...STRICT_C99_FLAGS, ...EXACT_FLOAT_FLAGS, '-O2'],
        compile: ['main.c', ...['fft', 'iir', 'stats', 'cmvn', 'wavelet', 'math32'].map((f) => `blocks/common/${f}.c`)],
      }),
    );
  }
}, 120_000);

afterAll(() => {
  for (const p of programs.values()) p.cleanup();
});

/** Runs `mode` on every compiler's build; returns the outputs (the same for all: checked). */
async function run(mode: string, values: number[]): Promise<Float32Array> {
  let first: Float32Array | undefined;
  for (const [compiler, program] of programs) {
    const got = bufferToFloats((await program.run({ stdin: floatsToBuffer(values), args: [mode] })).stdout);
    if (first) expect(bitsOf(got), `${compiler} = ${[...programs.keys()][0]}`).toEqual(bitsOf(first));
    else first = got;
  }
  return first as Float32Array;
}

const bitsOf = (v: Float32Array): Uint32Array => new Uint32Array(v.buffer, v.byteOffset, v.length);
/** Expects bit equality of two float32 vectors, naming the first difference. */
function expectSameBits(got: Float32Array, want: Float32Array, what: string): void {
  expect(got.length, what).toBe(want.length);
  const g = bitsOf(got);
  const w = bitsOf(want);
  for (let i = 0; i < w.length; i++) if (g[i] !== w[i]) expect(`${what}[${i}]: C ${got[i]}`).toBe(`${what}[${i}]: C ${want[i]}`);
}

describe('float32 literals', () => {
  test('cFloat reads back bit-exactly and is the shortest decimal', () => {
    const values = [0, -0, 1, -1, 0.1, 1 / 3, Math.PI, 1e-10, 3.4e38, 1.17549435e-38, 1e-45, 123456789, 0.98, ...Array.from(noise(200, 9, 1e6))];
    for (const v of values) {
      const lit = cFloat(v);
      expect(lit).toMatch(/^-?[0-9.]+(e[-+]?\d+)?f$/);
      expect(lit).toMatch(/[.e]/);
      expect(Object.is(Math.fround(Number(lit.slice(0, -1))), Math.fround(v)), `${v} → ${lit}`).toBe(true);
    }
    expect(cFloat(0.5)).toBe('0.5f');
    expect(cFloat(2)).toBe('2.0f');
    expect(() => cFloat(Number.NaN)).toThrow();
  });
  test('twiddle tables hold exactly the entries the FFT stages read', () => {
    // a radix-4 stage of quarter q reads W_m^(3k·m/4q), k < q; stages are q = 2, 8, 32 … (log2 m odd) or 4, 16 … (even)
    expect([2, 4, 8, 16, 32, 64, 128, 256].map(twiddleCount)).toEqual([1, 1, 4, 10, 22, 46, 94, 190]);
  });
});

describe.skipIf(COMPILERS.length === 0)('shared C = TS twins, bit for bit', () => {
  test.each(SIZES)('ik_rfft_power, n = %i: = RealFft.power; within 3e-6 of a float64 DFT (relative to the largest bin)', async (n) => {
    const frames = [Array.from(noise(n, n, 1000), (v, i) => f32(v + 300 * Math.sin(i * 0.37) + 50)), Array.from(noise(n, n + 1, 32767), Math.round), new Array<number>(n).fill(0)];
    const input: number[] = [];
    for (const x of frames) input.push(SIZES.indexOf(n), ...x);
    const got = await run('fft', input);
    const bins = n / 2 + 1;
    frames.forEach((x, i) => {
      const power = new Float32Array(bins + 1);
      power[bins] = new RealFft(n).power(Float32Array.from(x), power);
      expectSameBits(got.subarray(i * (bins + 1), (i + 1) * (bins + 1)), power, `frame ${i}`);
    });
    const x = frames[0] as number[];
    const want: number[] = [];
    for (let k = 0; k < bins; k++) {
      let re = 0;
      let im = 0;
      for (let t = 0; t < n; t++) {
        re += (x[t] as number) * Math.cos((2 * Math.PI * k * t) / n);
        im -= (x[t] as number) * Math.sin((2 * Math.PI * k * t) / n);
      }
      want.push((re * re + im * im) / n);
    }
    const top = Math.max(...want);
    for (let k = 0; k < bins; k++) expect(Math.abs((got[k] as number) - (want[k] as number)) / top, `bin ${k}`).toBeLessThan(3e-6);
    const energy = want.reduce((a, b) => a + b, 0);
    expect(Math.abs((got[bins] as number) - energy) / energy).toBeLessThan(3e-6);
  });

  test('ik_sum, ik_moments_of, ik_rms, ik_variance (lengths 1 … 300, 1000, 4099; constant and huge vectors)', async () => {
    const lengths = [...Array.from({ length: 300 }, (_, i) => i + 1), 1000, 4099];
    const vectors = lengths.map((n, i) => Array.from(noise(n, i + 3, 100), (a, j) => f32(a + (j % 7) * 1000)));
    vectors.push(new Array<number>(16).fill(f32(3.7)), new Array<number>(52).fill(-17), Array.from(noise(64, 5, 3e18), f32), [0, 0, 0, f32(1e-30)]);
    const input: number[] = [];
    for (const v of vectors) input.push(v.length, ...v);
    const got = await run('moments', input);
    vectors.forEach((v, i) => {
      const tmp = new Float32Array(v.length);
      const m = moments(v, tmp);
      const want = Float32Array.of(sum(v), m.mean, m.m2, m.skewness, m.kurtosis, rms(v, tmp), variance(v, 1, tmp));
      expectSameBits(got.subarray(7 * i, 7 * i + 7), want, `vector ${i} (${v.length})`);
    });
    // a constant vector: 0, not NaN
    expect(Array.from(got.subarray(7 * lengths.length + 3, 7 * lengths.length + 5))).toEqual([0, 0]);
  });

  test.each([
    [1, 3, 1],
    [7, 2, 5],
    [50, 13, 101],
    [50, 13, 7],
    [3, 4, 101],
    [300, 5, 101],
  ])('ik_cmvn on %i × %i, window %i', async (rows, cols, win) => {
    const m = Array.from(noise(rows * cols, rows * 31 + win, 5), (v, i) => f32(v + (i % cols) * 3));
    const padded = paddedRows(rows, win);
    const got = await run('cmvn', [rows, cols, win, ...padded, ...m]);
    const want = Float32Array.from(m);
    cmvn(want, rows, cols, win, padded, new Float32Array(rows));
    expectSameBits(got, want, 'cmvn');
  });

  test('ik_cmvn: rows identical across a whole window give exactly 0', async () => {
    const rows = 40;
    const m = Array.from({ length: rows * 2 }, (_, i) => (i < 10 ? i * 0.37 : 23.0258509)); // 5 varied rows, then 35 equal ones
    const got = await run('cmvn', [rows, 2, 11, ...paddedRows(rows, 11), ...m]);
    for (let r = 15; r < rows; r++) expect([got[2 * r], got[2 * r + 1]]).toEqual([0, 0]);
  });

  test.each([
    ['haar', 64],
    ['db4', 78],
    ['db10', 33],
    ['sym8', 130],
    ['coif3', 40],
    ['bior6.8', 17],
  ])('ik_dwt_step, %s on %i samples (pywt float32 order, symmetric extension)', async (name, n) => {
    const w = waveletFilters(name)!;
    const x = Array.from(noise(n, n, 50), f32);
    const got = await run('dwt', [n, w.decLo.length, ...w.decLo, ...w.decHi, ...x]);
    const len = dwtLength(n, w.decLo.length);
    const approx = new Float32Array(len);
    const detail = new Float32Array(len);
    dwtStep(Float32Array.from(x), n, Float32Array.from(w.decLo), Float32Array.from(w.decHi), approx, detail);
    expectSameBits(got.subarray(0, len), approx, 'approx');
    expectSameBits(got.subarray(len), detail, 'detail');
  });

  test('ik_wavelet_features: noise, whole-mg values on the histogram edges, constants, two values', async () => {
    const vectors = [
      Array.from(noise(64, 1, 3), f32),
      Array.from(noise(200, 2, 40), Math.round),
      new Array<number>(33).fill(-2.5),
      Array.from({ length: 40 }, (_, i) => (i % 2 ? 1 : 0)),
      Array.from(noise(129, 3, 1e-3), f32),
    ];
    const input: number[] = [];
    for (const v of vectors) input.push(v.length, ...PERCENTILES.map((p) => percentileIndex(v.length, p)), ...v);
    const got = await run('features', input);
    vectors.forEach((v, i) => {
      const want = new Float32Array(14);
      coefficientFeatures(Float32Array.from(v), v.length, want, 0);
      expectSameBits(got.subarray(14 * i, 14 * i + 14), want, `vector ${i}`);
    });
  });

  test('ik_sosfilt (Butterworth order 6) and ik_decimate (by 3 and by 10, on a large offset)', async () => {
    const x = Array.from(noise(300, 8, 500), (v, i) => f32(v + 1000 + 200 * Math.sin(i / 9)));
    const filtered = Float32Array.from(x);
    sosfiltF32(FILTER, filtered, x.length);
    expectSameBits(await run('sosfilt', [x.length, ...x]), filtered, 'sosfilt');
    for (const [which, ratio] of RATIOS.entries()) {
      const y = Float32Array.from(x);
      const offset = { value: 0 };
      const len = decimateF32(decimator(ratio), y, y.length, offset);
      const want = new Float32Array(len + 1);
      want.set(y.subarray(0, len));
      want[len] = offset.value;
      expectSameBits(await run('decimate', [which, x.length, ...x]), want, `decimate ${ratio}`);
    }
  });
});
