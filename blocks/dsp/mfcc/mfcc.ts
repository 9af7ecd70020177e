import { audioFraming, melBand } from '../common/audio.js';
import { CmvnScratch, cmvnw } from '../common/cmvn.js';
import { dct2, dctMatrix } from '../common/dct.js';
import { dspParamError, requireInt, requireRange } from '../common/errors.js';
import { powerSpectrumPlan, type PowerSpectrum } from '../common/fft.js';
import { preemphasis } from '../common/framing.js';
import { applyFilterbank, melFilterbank, type MelFilterbank } from '../common/mel.js';

export interface MfccParams {
  numCepstral: number;
  frameLength: number;
  frameStride: number;
  numFilters: number;
  fftLength: number;
  winSize: number;
  lowFrequency: number;
  highFrequency: number;
  preCof: number;
  preShift: number;
}

const BLOCK = 'mfcc';

/** Everything that depends only on params and the input's length and rate. */
export interface MfccPlan {
  readonly frames: number;
  readonly frameLength: number;
  readonly frameStride: number;
  readonly samples: number;
  readonly numCepstral: number;
  readonly params: MfccParams;
  readonly fft: PowerSpectrum;
  readonly fb: MelFilterbank;
  readonly dct: Float64Array;
  readonly pre: Float64Array;
  readonly power: Float64Array;
  readonly mel: Float64Array;
  readonly out: Float64Array;
  readonly cmvn: CmvnScratch;
}

export function planMfcc(p: MfccParams, shape: readonly number[], frequency: number | undefined): MfccPlan {
  const { fs, samples, frames } = audioFraming(BLOCK, shape, frequency, p.frameLength, p.frameStride, p.fftLength);
  requireInt(BLOCK, 'numFilters', p.numFilters, 2, 512);
  requireInt(BLOCK, 'numCepstral', p.numCepstral, 1, p.numFilters);
  requireInt(BLOCK, 'winSize', p.winSize, 0, 100001);
  if (p.winSize > 0 && p.winSize % 2 === 0) {
    throw dspParamError(BLOCK, `winSize must be odd (or 0 to disable normalisation), got ${p.winSize}`, `use ${p.winSize + 1}`);
  }
  requireRange(BLOCK, 'preCof', p.preCof, -10, 10, 'preCof is the pre-emphasis coefficient, e.g. 0.98 (0 disables it)');
  requireInt(BLOCK, 'preShift', p.preShift, 1, Math.max(1, samples - 1));
  const { low, high } = melBand(BLOCK, fs, p.lowFrequency, p.highFrequency);
  const fb = melFilterbank(BLOCK, p.numFilters, p.fftLength, fs, low, high);
  const fft = powerSpectrumPlan(p.fftLength);
  return {
    frames: frames.count,
    frameLength: frames.length,
    frameStride: frames.stride,
    samples,
    numCepstral: p.numCepstral,
    params: p,
    fft,
    fb,
    dct: dctMatrix(p.numFilters, p.numCepstral),
    pre: new Float64Array(samples),
    power: new Float64Array(fft.bins),
    mel: new Float64Array(p.numFilters),
    out: new Float64Array(frames.count * p.numCepstral),
    cmvn: new CmvnScratch(),
  };
}

/**
 * MFCC of one window: pre-emphasis (wrap-around), frames without window function, power
 * spectrum, mel filterbank energies, log, DCT-II (ortho), c0 := log frame energy, then
 * sliding-window cepstral mean and variance normalisation. Output [frames × numCepstral].
 */
export function runMfcc(plan: MfccPlan, window: ArrayLike<number>): Float32Array {
  const { frames, frameLength, frameStride, numCepstral, fft, fb, dct, pre, power, mel, out, params } = plan;
  const nf = params.numFilters;
  preemphasis(window, plan.samples, params.preCof, params.preShift, pre);
  for (let f = 0; f < frames; f++) {
    let energy = fft.compute(pre, f * frameStride, frameLength, power, 0);
    if (energy === 0) energy = 1e-10;
    applyFilterbank(fb, power, 0, mel, 0);
    for (let i = 0; i < nf; i++) mel[i] = Math.log(mel[i] as number);
    dct2(dct, nf, numCepstral, mel, 0, out, f * numCepstral);
    out[f * numCepstral] = Math.log(energy);
  }
  if (params.winSize > 0) cmvnw(out, frames, numCepstral, params.winSize, plan.cmvn);
  return Float32Array.from(out);
}
