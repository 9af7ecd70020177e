/**
 * The C implementations of the DSP blocks compute exactly what their TS `process()` computes: every
 * output float, compared bit for bit (as Uint32), on real data — FSDD audio (mfcc / mfe / spectrogram:
 * the blocks' defaults, the spoken-digits example at 8 kHz, a 16 kHz keyword-spotting front end, other
 * configurations), st_har windows (spectral-analysis in every variant, incl. the activity example,
 * filters, wavelets, decimation, extra low frequency; flatten; raw) and mnist images (image, raw,
 * flatten) — plus hard synthetic windows (digital silence, constant windows, one-LSB noise whose mel
 * band 0 is the DC bin alone, full scale, impulses, constant axes). The host C is built with gcc and
 * clang (-O2, and gcc -O3 -march=native, all with -ffp-contract=off as the SDK builds); every
 * configuration is one instance of one program, so instances of one block type with different
 * params are shown to link together, and the driver checks NaN canaries past the declared scratch
 * and output after every window. The same C compiles warning-free for the host and a Cortex-M4F,
 * and, built with arm-none-eabi-gcc -O2 and newlib, gives the same bits on an emulated Cortex-M4F
 * (QEMU mps2-an386), where its instructions per window are counted.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BlockCCode, DspBlock, SignalInfo } from '../../core/plugin/types.js';
import { compileC, compileObjects, CORTEX_M4F_FLAGS, EXACT_FLOAT_FLAGS, haveCompiler, STRICT_C99_FLAGS } from '../../test/support/compile-c.js';
import { haveTool, requireShared } from '../../test/support/shared.js';
import { dspBlocks, flatten, image, mfcc, mfe, raw, spectralAnalysis, spectrogram } from './index.js';
import { compileDsp, dspDriver, programFiles, type DspInstance, type DspProgram } from './testing/c-harness.js';
import { buildDeviceProgram, type DeviceProgram } from './testing/device-harness.js';
import { staleEmbeddings } from './testing/embed-c-sources.js';
import { defaultsOf, noise } from './testing/helpers.js';
import { cutWindows, fsddFiles, fsddSpeech, fsddWindows, mnistImages, stHarRecordings } from './testing/real-windows.js';

const asDsp = (b: unknown): DspBlock => b as DspBlock;

interface Case {
  readonly name: string;
  readonly block: DspBlock;
  readonly params: Record<string, unknown>;
  readonly info: SignalInfo;
  /** Real windows (loaded in beforeAll) and the synthetic hard cases. */
  readonly windows: () => Float32Array[];
  readonly hard: () => Float32Array[];
}

const audio = (fs: number, n: number): SignalInfo => ({ shape: [n, 1], frequency: fs, axes: ['audio'] });
const accel = (rows: number): SignalInfo => ({ shape: [rows, 3], frequency: 26, axes: ['x', 'y', 'z'] });
const image28 = (channels: number): SignalInfo => ({ shape: [28, 28, channels] });

/** Audio hard cases: silence, a constant, one impulse, ±1 LSB noise (quiet frames), full-scale noise, silence then speech-like noise. */
function hardAudio(n: number): Float32Array[] {
  const lsb = Float32Array.from(noise(n, 5, 1.5), Math.round);
  const halfSilent = new Float32Array(n);
  halfSilent.set(Float32Array.from(noise(n >> 1, 9, 3000), Math.round), n >> 1);
  const impulse = new Float32Array(n);
  impulse[n >> 2] = 12000;
  return [new Float32Array(n), new Float32Array(n).fill(1000), new Float32Array(n).fill(-1), impulse, lsb, Float32Array.from(noise(n, 7, 32767), Math.round), halfSilent];
}

/** Accelerometer hard cases (rows × 3, mg): all zero, constant axes, a still axis with one-LSB spikes, full-scale noise. */
function hardAccel(rows: number): Float32Array[] {
  const w = (fn: (r: number, a: number) => number): Float32Array => Float32Array.from({ length: rows * 3 }, (_, i) => fn(Math.floor(i / 3), i % 3));
  return [
    w(() => 0),
    w((_, a) => [1000, -17, 0][a] as number),
    w((r, a) => (a === 2 ? 980 + (r % 17 === 0 ? 1 : 0) : a === 0 ? (r * 37) % 11 : -3)),
    Float32Array.from(noise(rows * 3, rows, 4000), Math.round),
  ];
}

/** Image hard cases (28 × 28 × channels): black, white, a checkerboard. */
function hardImage(channels: number): Float32Array[] {
  const n = 28 * 28 * channels;
  return [new Float32Array(n), new Float32Array(n).fill(255), Float32Array.from({ length: n }, (_, i) => (Math.floor(i / channels) % 2) * 255)];
}

// real data, loaded once in beforeAll
let fsddAll: string[] = [];
let fsddSome: string[] = [];
let har: { name: string; data: Float32Array }[] = [];
let mnist: Uint8Array[] = [];
const harWindows = (rows: number): Float32Array[] => har.flatMap((r) => cutWindows(r.data, 3, rows, 13));
const mnistAs = (channels: 1 | 3 | 4): Float32Array[] =>
  mnist.map((rgb) => {
    const out = new Float32Array(28 * 28 * channels);
    for (let i = 0; i < 28 * 28; i++) {
      const p = rgb[3 * i] as number;
      // gray digits, given made-up colours so the three channels differ
      const px = channels === 1 ? [p] : [p, 255 - p, (p * 7) % 256, 255].slice(0, channels);
      out.set(px, i * channels);
    }
    return out;
  });

const mfccDefaults = defaultsOf(mfcc);
const mfeDefaults = defaultsOf(mfe);
const spectrogramDefaults = defaultsOf(spectrogram);
const spectralDefaults = defaultsOf(spectralAnalysis);

const spectral = (name: string, over: Record<string, unknown>, rows: number): Case => ({
  name: `spectral-analysis · ${name}`,
  block: asDsp(spectralAnalysis),
  params: { ...spectralDefaults, ...over },
  info: accel(rows),
  windows: () => harWindows(rows),
  hard: () => hardAccel(rows),
});

const CASES: Case[] = [
  {
    // the spoken-digits example (= the block's defaults at 8 kHz, 1 s windows): every FSDD recording
    name: 'mfcc · spoken-digits example, 8 kHz, all 2400 FSDD files',
    block: asDsp(mfcc),
    params: { ...mfccDefaults, numCepstral: 13, frameLength: 0.02, frameStride: 0.02, numFilters: 32, fftLength: 256 },
    info: audio(8000, 8000),
    windows: () => fsddWindows(fsddAll, 8000),
    hard: () => hardAudio(8000),
  },
  {
    // keyword spotting: 1 s at 16 kHz, FFT 256 (frames of 320 samples cropped): mel band 0 is the DC bin alone;
    // first 20 windows of speech back to back (no padding: what the instruction count is measured on), then every recording
    name: 'mfcc · KWS 16 kHz, frames cropped to FFT 256',
    block: asDsp(mfcc),
    params: { ...mfccDefaults },
    info: audio(16000, 16000),
    windows: () => [...fsddSpeech(fsddSome, 16000, 20), ...fsddWindows(fsddAll, 16000)],
    hard: () => hardAudio(16000),
  },
  {
    name: 'mfcc · 40 filters, FFT 512, 20 coefficients, band 300–3400 Hz, preShift 2, no CMVN',
    block: asDsp(mfcc),
    params: { ...mfccDefaults, numCepstral: 20, frameLength: 0.025, frameStride: 0.01, numFilters: 40, fftLength: 512, winSize: 0, lowFrequency: 300, highFrequency: 3400, preCof: 0.97, preShift: 2 },
    info: audio(8000, 8000),
    windows: () => fsddWindows(fsddSome, 8000),
    hard: () => hardAudio(8000),
  },
  {
    name: 'mfcc · FFT 128, window 51, 0.9 pre-emphasis',
    block: asDsp(mfcc),
    params: { ...mfccDefaults, fftLength: 128, frameLength: 0.016, frameStride: 0.008, numFilters: 20, winSize: 51, preCof: 0.9 },
    info: audio(8000, 8000),
    windows: () => fsddWindows(fsddSome, 8000),
    hard: () => hardAudio(8000),
  },
  {
    name: 'mfe · defaults, 8 kHz, all 2400 FSDD files',
    block: asDsp(mfe),
    params: { ...mfeDefaults },
    info: audio(8000, 8000),
    windows: () => fsddWindows(fsddAll, 8000),
    hard: () => hardAudio(8000),
  },
  {
    name: 'mfe · 16 kHz, 64 filters, FFT 512, noise floor −72 dB',
    block: asDsp(mfe),
    params: { ...mfeDefaults, frameLength: 0.025, frameStride: 0.01, numFilters: 64, fftLength: 512, noiseFloorDb: -72 },
    info: audio(16000, 16000),
    windows: () => fsddWindows(fsddSome, 16000),
    hard: () => hardAudio(16000),
  },
  {
    name: 'spectrogram · defaults, 8 kHz, all 2400 FSDD files',
    block: asDsp(spectrogram),
    params: { ...spectrogramDefaults },
    info: audio(8000, 8000),
    windows: () => fsddWindows(fsddAll, 8000),
    hard: () => hardAudio(8000),
  },
  {
    name: 'spectrogram · FFT 256, frames 0.032 s every 0.016 s, noise floor −90 dB',
    block: asDsp(spectrogram),
    params: { ...spectrogramDefaults, frameLength: 0.032, frameStride: 0.016, fftLength: 256, noiseFloorDb: -90 },
    info: audio(8000, 8000),
    windows: () => fsddWindows(fsddSome, 8000),
    hard: () => hardAudio(8000),
  },
  {
    name: 'spectrogram · FFT 64 at 16 kHz, frames cropped',
    block: asDsp(spectrogram),
    params: { ...spectrogramDefaults, frameLength: 0.005, frameStride: 0.005, fftLength: 64, noiseFloorDb: -52 },
    info: audio(16000, 16000),
    windows: () => fsddWindows(fsddSome, 16000),
    hard: () => hardAudio(16000),
  },
  spectral('activity example (mg → g, FFT 16, log, overlap)', { scaleAxes: 0.001, fftLength: 16, doLog: true, doFftOverlap: true }, 52),
  spectral('defaults', {}, 52),
  spectral('low-pass 3 Hz, order 6', { filterType: 'low', filterCutoff: 3, filterOrder: 6 }, 52),
  spectral('high-pass 3 Hz, order 4, FFT 32', { filterType: 'high', filterCutoff: 3, filterOrder: 4, fftLength: 32 }, 52),
  spectral('low-pass mask only (order 0), FFT 64, linear power, no overlap', { filterType: 'low', filterCutoff: 4, filterOrder: 0, fftLength: 64, doLog: false, doFftOverlap: false }, 104),
  spectral('FFT 8, linear power, no overlap', { fftLength: 8, doLog: false, doFftOverlap: false }, 40),
  spectral('FFT 256 on 10 s', { fftLength: 256 }, 260),
  spectral('wavelet db4, level 1', { analysisType: 'wavelet', wavelet: 'db4', waveletLevel: 1 }, 78),
  spectral('wavelet sym8, level 2, mg → g', { analysisType: 'wavelet', wavelet: 'sym8', waveletLevel: 2, scaleAxes: 0.001 }, 130),
  spectral('wavelet haar, level 3, low-pass 5 Hz', { analysisType: 'wavelet', wavelet: 'haar', waveletLevel: 3, filterType: 'low', filterCutoff: 5, filterOrder: 4 }, 260),
  spectral('wavelet bior3.9, level 0', { analysisType: 'wavelet', wavelet: 'bior3.9', waveletLevel: 0 }, 52),
  spectral('decimation by 3, low-pass 1 Hz, order 2', { inputDecimationRatio: 3, filterType: 'low', filterCutoff: 1, filterOrder: 2 }, 156),
  spectral('decimation by 10, no filter', { inputDecimationRatio: 10 }, 520),
  spectral('decimation by 30 (3 then 10), FFT 8', { inputDecimationRatio: 30, fftLength: 8 }, 780),
  spectral('extra low frequency', { extraLowFrequency: true }, 260),
  spectral('decimation by 10, wavelet db2, level 1, mg → g', { scaleAxes: 0.001, inputDecimationRatio: 10, analysisType: 'wavelet', wavelet: 'db2', waveletLevel: 1 }, 780),
  {
    name: 'flatten · defaults on st_har',
    block: asDsp(flatten),
    params: { ...defaultsOf(flatten) },
    info: accel(52),
    windows: () => harWindows(52),
    hard: () => hardAccel(52),
  },
  {
    name: 'flatten · mean, min, max, stdev, mg → g',
    block: asDsp(flatten),
    params: { ...defaultsOf(flatten), rms: false, skewness: false, kurtosis: false, scaleAxes: 0.001 },
    info: accel(52),
    windows: () => harWindows(52),
    hard: () => hardAccel(52),
  },
  {
    name: 'flatten · mnist rows as a 28 × 28 signal',
    block: asDsp(flatten),
    params: { ...defaultsOf(flatten), scaleAxes: 1 / 255 },
    info: { shape: [28, 28], frequency: 28, axes: Array.from({ length: 28 }, (_, i) => `c${i}`) },
    windows: () => mnistAs(1),
    hard: () => hardImage(1),
  },
  {
    name: 'raw · st_har, mg → g',
    block: asDsp(raw),
    params: { scaleAxes: 0.001 },
    info: accel(52),
    windows: () => harWindows(52),
    hard: () => hardAccel(52),
  },
  {
    name: 'raw · mnist as a 784 × 1 signal',
    block: asDsp(raw),
    params: { scaleAxes: 1 },
    info: { shape: [784, 1], frequency: 1, axes: ['pixel'] },
    windows: () => mnistAs(1),
    hard: () => hardImage(1),
  },
  {
    name: 'image · handwritten example (Grayscale, gray input)',
    block: asDsp(image),
    params: { channels: 'Grayscale' },
    info: image28(1),
    windows: () => mnistAs(1),
    hard: () => hardImage(1),
  },
  {
    name: 'image · Grayscale from RGB',
    block: asDsp(image),
    params: { channels: 'Grayscale' },
    info: image28(3),
    windows: () => mnistAs(3),
    hard: () => hardImage(3),
  },
  {
    name: 'image · RGB from RGBA',
    block: asDsp(image),
    params: { channels: 'RGB' },
    info: image28(4),
    windows: () => mnistAs(4),
    hard: () => hardImage(4),
  },
  {
    name: 'image · RGB from gray',
    block: asDsp(image),
    params: { channels: 'RGB' },
    info: image28(1),
    windows: () => mnistAs(1),
    hard: () => hardImage(1),
  },
];

const fnName = (i: number, c: Case): string => `dsp${i}_${c.block.type.replace(/-/g, '_')}`;

interface Prepared {
  readonly instance: DspInstance;
  readonly windows: Float32Array[];
  /** process() of every window, back to back. */
  readonly expected: Float32Array;
}

/** Host builds the outputs must agree across: the SDK's flags (-ffp-contract=off) with two compilers and two optimisation levels. */
const BUILDS = [
  { name: 'gcc -O2', compiler: 'gcc', flags: ['-O2'] },
  { name: 'clang -O2', compiler: 'clang', flags: ['-O2'] },
  { name: 'gcc -O3 -march=native', compiler: 'gcc', flags: ['-O3', '-march=native'] },
].filter((b) => haveCompiler(b.compiler));

const haveGcc = haveCompiler('gcc');
let prepared: Prepared[] = [];
const programs = new Map<string, DspProgram>();
const summary: string[] = [];

beforeAll(async () => {
  if (!haveGcc) return;
  requireShared();
  fsddAll = fsddFiles(2400);
  fsddSome = fsddFiles(300);
  har = stHarRecordings();
  mnist = mnistImages(50);
  prepared = CASES.map((c, i) => {
    const fn = fnName(i, c);
    const code = c.block.c!(c.params, c.info, { fn });
    const inputFloats = c.info.shape.reduce((a, b) => a * b, 1);
    const outputFloats = c.block.shape(c.params, c.info).reduce((a, b) => a * b, 1);
    const windows = [...c.windows(), ...c.hard()];
    const expected = new Float32Array(windows.length * outputFloats);
    windows.forEach((w, k) => expected.set(c.block.process(c.params, w, c.info), k * outputFloats));
    return { instance: { fn, code, inputFloats, outputFloats }, windows, expected };
  });
  for (const b of BUILDS) {
    programs.set(b.name, await compileDsp(prepared.map((p) => p.instance), { compiler: b.compiler, flags: [...STRICT_C99_FLAGS, ...EXACT_FLOAT_FLAGS, ...b.flags] }));
  }
}, 600_000);

afterAll(() => {
  for (const p of programs.values()) p.cleanup();
  if (summary.length > 0) console.log(`\nC = TS bit for bit:\n${summary.join('\n')}\n`);
});

/** Bits of float32 values, for exact comparison (distinguishes −0 from 0 and compares NaN payloads). */
const bitsOf = (v: Float32Array): Uint32Array => new Uint32Array(v.buffer, v.byteOffset, v.length);

describe.skipIf(!haveGcc)('DSP blocks in C', () => {
  test('the embedded C sources match blocks/*/c (npx tsx blocks/dsp/testing/embed-c-sources.ts)', () => {
    expect(staleEmbeddings().map((f) => f.out)).toEqual([]);
  });

  test('every built-in DSP block has a C implementation', () => {
    expect(dspBlocks.filter((b) => !b.c).map((b) => b.type)).toEqual([]);
  });

  test.each(CASES.map((c, i) => [c.name, i] as const))('%s: C = process(), every bit, on every build; within its scratch', async (_name, i) => {
    const c = CASES[i] as Case;
    const { instance, windows, expected } = prepared[i] as Prepared;
    expect(windows.length).toBeGreaterThanOrEqual(20);
    expect(expected.every(Number.isFinite), 'TS output is finite').toBe(true);
    const want = bitsOf(expected);
    for (const b of BUILDS) {
      const got = bitsOf(await (programs.get(b.name) as DspProgram).run(i, windows));
      expect(got.length).toBe(want.length);
      let differ = 0;
      let first = '';
      for (let j = 0; j < want.length; j++) {
        if (got[j] !== want[j]) {
          if (differ++ === 0) {
            const n = instance.outputFloats;
            first = `window ${Math.floor(j / n)} of ${windows.length}, feature ${j % n}: C ${new Float32Array(got.buffer)[j]}, TS ${expected[j]}`;
          }
        }
      }
      expect(differ, `${b.name}: ${differ} of ${want.length} values differ; first: ${first}`).toBe(0);
    }
    summary.push(`  ${c.name}: ${windows.length} windows × ${instance.outputFloats} values, ${BUILDS.map((b) => b.name).join(', ')}; scratch ${instance.code.scratchFloats} floats`);
  });

  test('mfcc: digital silence and a constant window normalise to exactly 0', () => {
    const c = CASES[0] as Case;
    for (const w of [new Float32Array(8000), new Float32Array(8000).fill(1000)]) expect(c.block.process(c.params, w, c.info).every((v) => v === 0)).toBe(true);
  });

  test('spectral-analysis and flatten: a constant axis gives 0 skewness and kurtosis, never NaN', () => {
    const w = new Float32Array(52 * 3);
    for (let r = 0; r < 52; r++) w.set([1000, -17, (r * 37) % 11], r * 3);
    const s = CASES.find((c) => c.name === 'spectral-analysis · defaults') as Case;
    const out = s.block.process(s.params, w, s.info);
    expect(out.every(Number.isFinite)).toBe(true);
    // axes 0 and 1 are constant: skewness, kurtosis, spectral skewness, spectral kurtosis are 0
    expect([1, 2, 3, 4, 14, 15, 16, 17].map((k) => out[k])).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    const fl = CASES.find((c) => c.name === 'flatten · defaults on st_har') as Case;
    const f = fl.block.process(fl.params, w, fl.info);
    expect([f[5], f[6], f[12], f[13]]).toEqual([0, 0, 0, 0]);
  });
});

/** Every shared source and instance file of the cases, for the compile checks. */
function allFiles(): Map<string, string> {
  return programFiles(
    prepared.map((p) => p.instance),
    dspDriver(prepared.map((p) => p.instance)),
  );
}

const EXTRA_WARNINGS = ['-Wdouble-promotion', '-Wshadow', '-Wconversion', '-Wstrict-prototypes', '-Wmissing-prototypes', '-Wcast-qual'];

describe.skipIf(!haveGcc)('DSP C compiles warning-free', () => {
  test.each([
    ['gcc', 'nm', [] as string[]],
    ['clang', 'nm', [] as string[]],
    ['arm-none-eabi-gcc', 'arm-none-eabi-nm', [...CORTEX_M4F_FLAGS]],
  ])('%s -std=c99 -Wall -Wextra -Werror -pedantic (and more); an instance exports only its function', async (compiler, nm, target) => {
    if (!haveCompiler(compiler) || !haveTool(nm)) return;
    const files = allFiles();
    files.delete('main.c');
    const objects = await compileObjects({ files, compiler, includeDirs: ['blocks'], flags: [...STRICT_C99_FLAGS, ...EXTRA_WARNINGS, ...EXACT_FLOAT_FLAGS, ...target, '-O2'], nm });
    for (const p of prepared) expect(objects.get(`instances/${p.instance.fn}.c`)?.globals).toEqual([p.instance.fn]);
    // shared code defines only ik_* functions
    for (const [src, o] of objects) if (src.startsWith('blocks/')) for (const g of o.globals) expect(g, src).toMatch(/^ik_/);
  });

  test('no libm transcendental function is called (their results differ between glibc and newlib)', () => {
    for (const [p, text] of allFiles()) {
      if (!p.startsWith('blocks/') || !p.endsWith('.c')) continue;
      expect(text, p).not.toMatch(/\b(logf|log10f|log2f|expf|exp2f|powf|sinf|cosf|tanf|atanf|tanhf|log|log10|exp|pow)\s*\(/);
    }
  });

  test('AddressSanitizer + UndefinedBehaviorSanitizer: no finding on real and hard windows of every instance', async () => {
    const instances = prepared.map((p) => p.instance);
    const prog = await compileC({
      files: programFiles(instances, dspDriver(instances)),
      includeDirs: ['blocks'],
      flags: [...STRICT_C99_FLAGS, ...EXACT_FLOAT_FLAGS, '-O1', '-g', '-fsanitize=address,undefined', '-fno-sanitize-recover=all', '-fno-omit-frame-pointer'],
    });
    try {
      for (const [i, p] of prepared.entries()) {
        const windows = [...p.windows.slice(0, 3), ...p.windows.slice(-4)];
        const stdin = new Float32Array(windows.length * p.instance.inputFloats);
        windows.forEach((w, k) => stdin.set(w, k * p.instance.inputFloats));
        const r = await prog.run({ stdin: new Uint8Array(stdin.buffer), args: [String(i)] });
        expect(r.stderr).toBe('');
      }
    } finally {
      prog.cleanup();
    }
  });
});

const haveDevice = haveGcc && ['arm-none-eabi-gcc', 'arm-none-eabi-nm', 'arm-none-eabi-size', 'qemu-system-arm'].every((t) => haveTool(t));

describe.skipIf(!haveDevice)('on an emulated Cortex-M4F (QEMU mps2-an386, arm-none-eabi-gcc -O2, newlib)', () => {
  let device: DeviceProgram | undefined;
  const counts: string[] = [];
  beforeAll(async () => {
    device = await buildDeviceProgram(prepared.map((p) => p.instance));
  }, 600_000);
  afterAll(() => {
    device?.cleanup();
    if (counts.length > 0) console.log(`\nCortex-M4F instructions per window (measured on QEMU):\n${counts.join('\n')}\n`);
  });

  test.each(CASES.map((c, i) => [c.name, i] as const))('%s: the device gives the same bits as process()', async (_name, i) => {
    const c = CASES[i] as Case;
    const { instance, windows, expected } = prepared[i] as Prepared;
    // 4 real windows (the KWS front end: its 20 windows of continuous speech, for the instruction count) and every hard one
    const real = c.name.startsWith('mfcc · KWS') ? 20 : 4;
    const hard = c.hard().length;
    const picked = [...Array.from({ length: real }, (_, k) => k), ...Array.from({ length: hard }, (_, k) => windows.length - hard + k)];
    const n = instance.outputFloats;
    const prog = device as DeviceProgram;
    const realRun = await prog.run(i, picked.slice(0, real).map((k) => windows[k] as Float32Array));
    const hardRun = await prog.run(i, picked.slice(real).map((k) => windows[k] as Float32Array));
    const outputs = new Float32Array(picked.length * n);
    outputs.set(realRun.outputs);
    outputs.set(hardRun.outputs, real * n);
    const want = new Float32Array(picked.length * n);
    picked.forEach((k, j) => want.set(expected.subarray(k * n, (k + 1) * n), j * n));
    const differ = bitsOf(want).reduce((d, w, j) => d + (bitsOf(outputs)[j] === w ? 0 : 1), 0);
    expect(differ, `${differ} of ${want.length} values differ`).toBe(0);
    counts.push(`  ${c.name}: ${Math.round(realRun.instructionsPerWindow).toLocaleString('en-US')} (mean of ${real} real windows)`);
  }, 300_000);
});

describe('C code of a block instance', () => {
  test('two instances of one block with different params link into one program (distinct names, shared sources once)', () => {
    const types = new Map<string, number>();
    for (const c of CASES) types.set(c.block.type, (types.get(c.block.type) ?? 0) + 1);
    for (const [type, count] of types) expect(count, type).toBeGreaterThanOrEqual(2);
    // (the program of all cases above is that link test)
  });

  test('a name that is not a C identifier is refused', () => {
    expect(() => asDsp(raw).c!({ scaleAxes: 1 }, accel(52), { fn: '1bad name' })).toThrow(/not a valid C identifier/);
  });

  test('bad params are refused with the block’s own error, as validate() does', () => {
    expect(() => asDsp(mfcc).c!({ ...mfccDefaults, fftLength: 200 }, audio(8000, 8000), { fn: 'x' })).toThrow(/power of two/);
  });

  test('instances declare their scratch and tables in the header comment', () => {
    const code: BlockCCode = asDsp(mfcc).c!({ ...mfccDefaults }, audio(16000, 16000), { fn: 'kws_mfcc' });
    expect(code.instance).toMatch(/scratch: 417 floats/);
    expect(code.instance).toMatch(/flash: +\d+ bytes/);
    expect(code.instance).toContain('int kws_mfcc(const float *input, float *output, float *scratch)');
    expect(code.instance).not.toMatch(/^(?!static const)(?:const |float |uint|int |ik_)[^(]*=/m);
  });
});
