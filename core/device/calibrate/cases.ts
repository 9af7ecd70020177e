/**
 * What the calibration measures besides the examples: the seven fixture models (real models other
 * people converted, fed seeded random inputs), each DSP block type in a few configurations, and
 * the anomaly blocks, as small synthetic impulses (the DSP block, then a one-layer int8 network so
 * the library has a network to call) fed deterministic synthetic signals.
 */
import { existsSync, readFileSync } from 'node:fs';
import { decodeWav } from '../../../blocks/input/formats/wav.js';
import path from 'node:path';
import { elementCount, type ModelIR } from '../../model/ir.js';
import { ModelBuilder } from '../../model/builder.js';
import { readTflite } from '../../model/tflite/read.js';
import type { Registry } from '../../plugin/registry.js';
import type { DspBlock, InputBlock, LearnBlock, SignalInfo, TargetImpulse, TargetLearn } from '../../plugin/types.js';
import { validatorFor } from '../../spec/ajv.js';
import type { MeasureData } from '../profile/measure.js';
import { randomModelInputs } from '../profile/model-inputs.js';
import { subjectOfImpulse, subjectOfModel, type ProfileSubject } from '../profile/subject.js';
import { opModels } from './op-models.js';

export interface CalibrationCase {
  readonly name: string;
  readonly group: 'fixture' | 'example' | 'dsp' | 'anomaly' | 'op';
  readonly subject: ProfileSubject;
  readonly data: MeasureData;
}

export const FIXTURE_MODELS = ['hello_world_int8', 'micro_speech_quantized', 'ad01_int8', 'kws_ref_model', 'pretrainedResnet_quant', 'vww_96_int8', 'kws_ref_model_float32'] as const;

export function fixtureCase(dir: string, name: string, inputs: number): CalibrationCase {
  const model = readTflite(new Uint8Array(readFileSync(path.join(dir, `${name}.tflite`))), `${name}.tflite`);
  return { name, group: 'fixture', subject: subjectOfModel(model, name), data: { source: `${inputs} seeded random inputs`, ...randomModelInputs(model, inputs) } };
}

/** Params with the schema's defaults filled in (as the impulse file's validation does). */
function withDefaults(schema: object, params: Record<string, unknown>): Record<string, unknown> {
  const p = structuredClone(params);
  if (!validatorFor(schema)(p)) throw new Error(`calibration case params do not validate: ${JSON.stringify(params)}`);
  return p;
}

/** An int8 fully connected layer n → 2 (random weights): the smallest network a library can hold. */
export function tinyNetwork(n: number, seed = 7): ModelIR {
  let s = seed;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) >>> 24) - 128;
  const b = new ModelBuilder();
  const x = b.tensor('features', [1, n], 'int8', { quant: { scale: [0.05], zeroPoint: [0], axis: 0 } });
  const w = b.tensor('weights', [2, n], 'int8', { quant: { scale: [0.002, 0.002], zeroPoint: [0, 0], axis: 0 }, data: Int8Array.from({ length: 2 * n }, next) });
  const bias = b.tensor('bias', [2], 'int32', { quant: { scale: [0.0001, 0.0001], zeroPoint: [0, 0], axis: 0 }, data: Int32Array.from([100, -100]) });
  const y = b.tensor('scores', [1, 2], 'int8', { quant: { scale: [0.1], zeroPoint: [0], axis: 0 } });
  b.op({ op: 'fullyConnected', inputs: [x, w, bias], outputs: [y], activation: 'none' });
  return b.build([x], [y], { labels: ['a', 'b'], source: 'impulse-kit calibration' });
}

function seededSignal(info: SignalInfo, seed: number): Float32Array {
  const [frames, axes] = [info.shape[0]!, info.shape.length > 2 ? info.shape[1]! * info.shape[2]! : (info.shape[1] ?? 1)];
  const out = new Float32Array(frames * axes);
  let s = seed >>> 0;
  const noise = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
  const f = info.frequency ?? 1;
  const image = info.shape.length === 3;
  for (let i = 0; i < frames; i++) {
    for (let a = 0; a < axes; a++) {
      const t = i / f;
      out[i * axes + a] = image
        ? Math.round(127.5 + 127.5 * Math.sin(i * 0.37 + a * 1.3) * Math.cos(a * 0.011))
        : f >= 4000
          ? 6000 * Math.sin(2 * Math.PI * (220 + 180 * a) * t) * Math.sin(2 * Math.PI * 3 * t) + 400 * noise()
          : 1000 * (a === 2 ? 1 : 0) + 600 * Math.sin(2 * Math.PI * (1.7 + a) * t) + 80 * noise();
    }
  }
  return out;
}

interface DspConfig {
  readonly name: string;
  readonly input: { readonly type: 'time-series' | 'image'; readonly params: Record<string, unknown> };
  readonly type: string;
  readonly params: Record<string, unknown>;
}

const accel = (hz: number, ms: number) => ({ type: 'time-series' as const, params: { frequency: hz, axes: ['x', 'y', 'z'], window: { size: `${ms}ms`, stride: `${ms}ms` } } });
const audio = (hz: number, ms: number) => ({ type: 'time-series' as const, params: { frequency: hz, axes: ['audio'], window: { size: `${ms}ms`, stride: `${ms}ms` } } });
const picture = (w: number, h: number, colorDepth: 'RGB' | 'Grayscale') => ({ type: 'image' as const, params: { width: w, height: h, colorDepth } });

/** Configurations of each DSP block type, around the examples' and the anchors' (KWS: MFCC on 1 s at 16 kHz). */
export const DSP_CONFIGS: readonly DspConfig[] = [
  { name: 'spectral fft16 26Hz 2s', input: accel(26, 2000), type: 'spectral-analysis', params: { scaleAxes: 0.001, fftLength: 16, doLog: true, doFftOverlap: true } },
  { name: 'spectral fft64 100Hz 2s', input: accel(100, 2000), type: 'spectral-analysis', params: { scaleAxes: 0.001, fftLength: 64 } },
  { name: 'spectral fft128 62.5Hz 4s no-overlap', input: accel(62.5, 4000), type: 'spectral-analysis', params: { fftLength: 128, doFftOverlap: false, filterType: 'none' } },
  { name: 'spectral wavelet 100Hz 2s', input: accel(100, 2000), type: 'spectral-analysis', params: { analysisType: 'wavelet', waveletLevel: 2 } },
  { name: 'mfcc 8kHz 1s fft256', input: audio(8000, 1000), type: 'mfcc', params: { numCepstral: 13, frameLength: 0.02, frameStride: 0.02, numFilters: 32, fftLength: 256 } },
  // issue 13's DSP target: MFCC 13 on 1 s at 16 kHz, 32 filters, FFT 256 (the keyword-spotting impulse), ≤ 60 ms at 80 MHz
  { name: 'mfcc 16kHz 1s fft256', input: audio(16000, 1000), type: 'mfcc', params: { numCepstral: 13, frameLength: 0.02, frameStride: 0.02, numFilters: 32, fftLength: 256 } },
  { name: 'mfcc 16kHz 1s fft512', input: audio(16000, 1000), type: 'mfcc', params: { numCepstral: 13, frameLength: 0.02, frameStride: 0.02, numFilters: 32, fftLength: 512 } },
  { name: 'mfcc 16kHz 0.5s fft256 stride10ms', input: audio(16000, 500), type: 'mfcc', params: { numCepstral: 10, frameLength: 0.016, frameStride: 0.01, numFilters: 40, fftLength: 256 } },
  { name: 'mfe 16kHz 1s fft256', input: audio(16000, 1000), type: 'mfe', params: {} },
  { name: 'mfe 8kHz 1s fft128', input: audio(8000, 1000), type: 'mfe', params: { frameLength: 0.016, frameStride: 0.016, numFilters: 32, fftLength: 128 } },
  { name: 'spectrogram 16kHz 1s fft256', input: audio(16000, 1000), type: 'spectrogram', params: {} },
  { name: 'spectrogram 8kHz 1s fft128', input: audio(8000, 1000), type: 'spectrogram', params: { frameLength: 0.016, frameStride: 0.016, fftLength: 128 } },
  { name: 'image 28x28 gray', input: picture(28, 28, 'Grayscale'), type: 'image', params: { channels: 'Grayscale' } },
  { name: 'image 96x96 rgb', input: picture(96, 96, 'RGB'), type: 'image', params: { channels: 'RGB' } },
  { name: 'image 96x96 rgb→gray', input: picture(96, 96, 'RGB'), type: 'image', params: { channels: 'Grayscale' } },
  { name: 'flatten 62.5Hz 2s', input: accel(62.5, 2000), type: 'flatten', params: {} },
  { name: 'flatten 100Hz 4s', input: accel(100, 4000), type: 'flatten', params: { skewness: false, kurtosis: false } },
  { name: 'raw 62.5Hz 2s scaled', input: accel(62.5, 2000), type: 'raw', params: { scaleAxes: 0.001 } },
  { name: 'raw 100Hz 4s scaled', input: accel(100, 4000), type: 'raw', params: { scaleAxes: 0.01 } },
];

function dspTarget(registry: Registry, c: DspConfig, learn: (n: number) => TargetLearn[]): TargetImpulse {
  const inputBlock = registry.block('input', c.input.type) as InputBlock;
  const inputParams = withDefaults(inputBlock.params, c.input.params);
  const info = inputBlock.info(inputParams as never);
  const block = registry.block('dsp', c.type) as DspBlock;
  const params = withDefaults(block.params, c.params);
  block.validate?.(params as never, info);
  const outputShape = block.shape(params as never, info);
  return {
    name: 'calibration',
    input: { type: c.input.type, params: inputParams, info },
    dsp: [{ id: 'dsp', block, params, from: ['input'], inputInfo: info, outputShape }],
    learn: learn(elementCount(outputShape)),
  };
}

function networkLearn(registry: Registry, n: number): TargetLearn {
  return { id: 'probe', block: registry.block('learn', 'classifier') as LearnBlock, params: {}, from: ['dsp'], modelDir: '', labels: ['a', 'b'], featureShape: [n], int8: tinyNetwork(n) };
}

/**
 * Real speech windows for the audio configurations: FSDD recordings (8 kHz, spread over the
 * manifest), linearly resampled to `rate`, each cut as the time-series input cuts its first window
 * (from the start, zero-padded: the recordings are shorter than a second, so windows end in
 * silence, as the spoken-digits example's do — and frames of zeros skip their FFT in the C).
 */
export function fsddWindows(datasetsDir: string, rate: number, frames: number, count: number): Float32Array[] | undefined {
  const manifest = path.join(datasetsDir, 'fsdd', 'manifest.csv');
  if (!existsSync(manifest)) return undefined;
  const files = readFileSync(manifest, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]!);
  const step = Math.max(1, Math.floor(files.length / count));
  return Array.from({ length: count }, (_, i) => {
    const wav = decodeWav(new Uint8Array(readFileSync(path.join(datasetsDir, 'fsdd', files[(i * step + 3) % files.length]!))));
    const out = new Float32Array(frames);
    const ratio = wav.frequency / rate;
    for (let j = 0; j < frames; j++) {
      const t = j * ratio;
      const k = Math.floor(t);
      if (k + 1 >= wav.data.length) break;
      out[j] = wav.data[k]! + (wav.data[k + 1]! - wav.data[k]!) * (t - k);
    }
    return out;
  });
}

/** `datasetsDir`: where FSDD is, for real audio windows (synthetic ones without it). */
export async function dspCases(registry: Registry, windows: number, datasetsDir?: string): Promise<CalibrationCase[]> {
  const out: CalibrationCase[] = [];
  for (const c of DSP_CONFIGS) {
    const target = dspTarget(registry, c, (n) => [networkLearn(registry, n)]);
    const info = target.input.info;
    const speech = datasetsDir && (info.frequency ?? 0) >= 4000 ? fsddWindows(datasetsDir, info.frequency!, info.shape[0]!, windows) : undefined;
    out.push({
      name: c.name,
      group: 'dsp',
      subject: await subjectOfImpulse(target),
      data: speech
        ? { source: `${windows} FSDD recordings resampled to ${info.frequency} Hz, first window`, windows: speech }
        : { source: `${windows} synthetic windows (sines and seeded noise)`, windows: Array.from({ length: windows }, (_, i) => seededSignal(info, 1 + i)) },
    });
  }
  return out;
}

interface AnomalyConfig {
  readonly name: string;
  readonly type: 'anomaly-kmeans' | 'anomaly-gmm';
  readonly params: Record<string, unknown>;
  readonly dsp: DspConfig;
}

/** Anomaly blocks behind a cheap DSP block, trained on the DSP block's features of synthetic windows. */
export const ANOMALY_CONFIGS: readonly AnomalyConfig[] = [
  { name: 'anomaly-kmeans 8 clusters', type: 'anomaly-kmeans', params: { clusters: 8 }, dsp: DSP_CONFIGS.find((c) => c.type === 'flatten')! },
  { name: 'anomaly-kmeans 32 clusters', type: 'anomaly-kmeans', params: { clusters: 32 }, dsp: DSP_CONFIGS.find((c) => c.type === 'spectral-analysis')! },
  { name: 'anomaly-gmm 4 components', type: 'anomaly-gmm', params: { components: 4 }, dsp: DSP_CONFIGS.find((c) => c.type === 'flatten')! },
  { name: 'anomaly-gmm 8 components', type: 'anomaly-gmm', params: { components: 8 }, dsp: DSP_CONFIGS.find((c) => c.type === 'spectral-analysis')! },
];

/**
 * Trains each anomaly block (in `workDir/<n>`) on the TS features of 64 synthetic windows, then
 * measures it on `windows` others.
 */
export async function anomalyCases(registry: Registry, windows: number, workDir: string): Promise<CalibrationCase[]> {
  const { mkdirSync } = await import('node:fs');
  const out: CalibrationCase[] = [];
  for (const [k, c] of ANOMALY_CONFIGS.entries()) {
    const block = registry.block('learn', c.type) as LearnBlock;
    const params = withDefaults(block.params, c.params);
    const modelDir = path.join(workDir, `anomaly-${k}`);
    mkdirSync(modelDir, { recursive: true });
    let featureShape: number[] = [];
    const target = dspTarget(registry, c.dsp, (n) => {
      featureShape = [n];
      return [{ id: 'anomaly', block, params, from: ['dsp'], modelDir, labels: ['normal'], featureShape: [n] }];
    });
    const dsp = target.dsp[0]!;
    const n = featureShape[0]!;
    const train = Array.from({ length: 64 }, (_, i) => dsp.block.process(dsp.params as never, seededSignal(target.input.info, 1000 + i), dsp.inputInfo));
    const data = new Float32Array(train.length * n);
    train.forEach((f, i) => data.set(f, i * n));
    await block.train(
      { stageId: 'calibration', seed: 7, projectDir: workDir, outDir: modelDir, jobs: 1, signal: new AbortController().signal, progress: () => {}, log: () => {} },
      { kind: 'features', shape: [n], rows: train.map((_, i) => ({ sample: `s${i}`, label: 'normal', split: 'training', window: 0 })), data, labels: ['normal'], attrs: {} },
      params as never,
    );
    out.push({
      name: c.name,
      group: 'anomaly',
      subject: await subjectOfImpulse(target),
      data: { source: `${windows} synthetic windows (sines and seeded noise)`, windows: Array.from({ length: windows }, (_, i) => seededSignal(target.input.info, 1 + i)) },
    });
  }
  return out;
}

/** One-op int8 models over a spread of shapes (op-models.ts), on seeded random inputs. */
export function opCases(inputs: number): CalibrationCase[] {
  return opModels().map(({ name, model }) => ({ name, group: 'op' as const, subject: subjectOfModel(model, 'op'), data: { source: `${inputs} seeded random inputs`, ...randomModelInputs(model, inputs) } }));
}
