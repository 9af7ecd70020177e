/**
 * Typed constructors for the built-in blocks and targets. Param types come from each block's
 * TypeBox schema, so the DSL can never drift from what YAML accepts. Plugins: use
 * `dspBlock`, `learnBlock` and `target` with their own types.
 */
import type { Static, TObject } from '@sinclair/typebox';
import type { BlockRef, InputUse, TargetRef } from './builder.js';
import type timeSeriesBlock from '../../blocks/input/time-series/index.js';
import type imageInputBlock from '../../blocks/input/image/index.js';
import type * as dsp from '../../blocks/dsp/index.js';
import type * as learn from '../../blocks/learn/index.js';
import type tfjsTarget from '../../generators/tfjs/index.js';
import type tfliteTarget from '../../generators/tflite/index.js';
import type cppTarget from '../../generators/cpp/index.js';
import type arduinoTarget from '../../generators/arduino/index.js';

type ParamsOf<B> = B extends { params: infer S extends TObject } ? Static<S> : never;
/** Every param optional (defaults apply), nested objects too. */
type Loose<T> = T extends readonly (infer U)[] ? readonly Loose<U>[] : T extends object ? { [K in keyof T]?: Loose<T[K]> } : T;
type WithFrom<P> = Loose<P> & { from?: string[] };

const block =
  <B>(type: string) =>
  ({ from, ...params }: WithFrom<ParamsOf<B>> = {} as WithFrom<ParamsOf<B>>): BlockRef<Loose<ParamsOf<B>>> =>
    from ? { type, params: params as Loose<ParamsOf<B>>, from } : { type, params: params as Loose<ParamsOf<B>> };

export const timeSeries = (params: Loose<ParamsOf<typeof timeSeriesBlock>> = {}): InputUse => ({ type: 'time-series', ...params });
export const image = (params: Loose<ParamsOf<typeof imageInputBlock>> = {}): InputUse => ({ type: 'image', ...params });

export const raw = block<typeof dsp.raw>('raw');
export const flatten = block<typeof dsp.flatten>('flatten');
export const spectralAnalysis = block<typeof dsp.spectralAnalysis>('spectral-analysis');
export const mfcc = block<typeof dsp.mfcc>('mfcc');
export const mfe = block<typeof dsp.mfe>('mfe');
export const spectrogram = block<typeof dsp.spectrogram>('spectrogram');
/** The `image` DSP block (scales pixels to 0..1); `image` is the input block. */
export const imageFeatures = block<typeof dsp.image>('image');

export const classifier = block<typeof learn.classifier>('classifier');
export const regression = block<typeof learn.regression>('regression');
export const anomalyKmeans = block<typeof learn.anomalyKmeans>('anomaly-kmeans');
export const anomalyGmm = block<typeof learn.anomalyGmm>('anomaly-gmm');
/** Expert mode: your own TF.js model from a module (`model: './model.ts'`). */
export const expert = block<typeof learn.expert>('expert');

/** Bring your own model: a .tflite file instead of training (`model: './model.tflite', labels: [...]`). */
export const pretrained = block<typeof learn.pretrained>('pretrained');

const targetRef =
  <T>(type: string) =>
  (params: Loose<ParamsOf<T>> & { from?: string[] } = {} as Loose<ParamsOf<T>> & { from?: string[] }): TargetRef => {
    const { from, ...rest } = params;
    return from ? { target: type, params: rest, from } : { target: type, params: rest };
  };

export const tfjs = targetRef<typeof tfjsTarget>('tfjs');
export const tflite = targetRef<typeof tfliteTarget>('tflite');
/** The C/C++ library of the impulse. */
export const cpp = targetRef<typeof cppTarget>('cpp');
export const arduino = targetRef<typeof arduinoTarget>('arduino');

/** A plugin's block or target by type. */
export const dspBlock = (type: string, params: Record<string, unknown> = {}, from?: string[]): BlockRef => (from ? { type, params, from } : { type, params });
export const learnBlock = dspBlock;
export const target = (type: string, params: Record<string, unknown> = {}, from?: string[]): TargetRef => (from ? { target: type, params, from } : { target: type, params });
