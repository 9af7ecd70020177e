import { audioFraming, melBand } from '../common/audio.js';
import { cmvn, paddedRows } from '../common/cmvn.js';
import { dctMatrix, dctRows } from '../common/dct.js';
import { dspParamError, requireInt, requireRange } from '../common/errors.js';
import { ikLogf } from '../common/math32.js';
import { melEnergies, melFilterbank, sparseMel, ZERO_ENERGY, type MelFilterbank, type SparseMel } from '../common/mel.js';
import { allZero, realFft, type RealFft } from '../common/rfft.js';

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

/**
 * Version of the block's output (cache keys, the C banner). 2: float32 arithmetic identical to the C
 * (ikLogf, the C's FFT, DCT and CMVN order) instead of float64.
 */
export const MFCC_VERSION = 2;

const BLOCK = 'mfcc';

/** Everything that depends only on params and the input's length and rate. */
export interface MfccPlan {
  readonly frames: number;
  readonly frameLength: number;
  readonly frameStride: number;
  readonly samples: number;
  readonly numCepstral: number;
  readonly params: MfccParams;
  readonly fft: RealFft;
  /** The filterbank in float64 (design) and as the C applies it. */
  readonly fb: MelFilterbank;
  readonly mel: SparseMel;
  /** Rows 1 .. numCepstral − 1 of the orthonormal DCT-II, float32, row-major (row 0 is replaced by the log energy). */
  readonly dct: Float32Array;
  /** Normalisation: the frame each padded position reads (empty without normalisation). */
  readonly cmvnRows: Uint16Array;
  /** Scratch of one run, as the C's: the frame (n), its power spectrum (n/2 + 1), log mel energies (numFilters); then a CMVN column (frames). */
  readonly work: Float32Array;
  readonly power: Float32Array;
  readonly logMel: Float32Array;
  readonly column: Float32Array;
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
  const fft = realFft(p.fftLength);
  return {
    frames: frames.count,
    frameLength: frames.length,
    frameStride: frames.stride,
    samples,
    numCepstral: p.numCepstral,
    params: p,
    fft,
    fb,
    mel: sparseMel(fb),
    dct: Float32Array.from(dctMatrix(p.numFilters, p.numCepstral).subarray(p.numFilters)),
    cmvnRows: p.winSize > 0 ? paddedRows(frames.count, p.winSize) : new Uint16Array(0),
    work: new Float32Array(p.fftLength),
    power: new Float32Array(fft.bins),
    logMel: new Float32Array(p.numFilters),
    column: new Float32Array(frames.count),
  };
}

/**
 * load_frame (mfcc.c): work[0 .. n) ← the pre-emphasised frame starting at `start`, cropped or
 * zero-padded to n; y[i] = x[i] − c·x[i − shift], the first `shift` samples of the window using its
 * last ones (the reference's numpy.roll). Returns false for a frame of digital silence.
 */
function loadFrame(plan: MfccPlan, x: ArrayLike<number>, start: number): boolean {
  const f = Math.fround;
  const { work, samples } = plan;
  const n = work.length;
  const len = Math.min(plan.frameLength, n);
  const c = f(plan.params.preCof);
  const shift = plan.params.preShift;
  let i = 0;
  for (; i < len && start + i < shift; i++) work[i] = f(x[start + i] as number) - f(c * f(x[start + i + samples - shift] as number));
  for (; i < len; i++) work[i] = f(x[start + i] as number) - f(c * f(x[start + i - shift] as number));
  work.fill(0, len);
  return !allZero(work, 0, len);
}

/**
 * MFCC of one window — the TS twin of c/mfcc.c (ik_mfcc_run), float32 throughout: per frame
 * pre-emphasis (wrap-around), power spectrum (no window function), mel filterbank energies, ln, DCT-II
 * (ortho) with c0 := ln(frame energy), then sliding-window cepstral mean and variance normalisation.
 * Output [frames × numCepstral].
 */
export function runMfcc(plan: MfccPlan, window: ArrayLike<number>): Float32Array {
  const out = new Float32Array(plan.frames * plan.numCepstral);
  mfccInto(plan, window, out);
  return out;
}

/** runMfcc into `out` (frames × numCepstral values; every one is written). */
export function mfccInto(plan: MfccPlan, window: ArrayLike<number>, out: Float32Array): void {
  const { frames, frameStride, numCepstral: nc, fft, mel, dct, work, power, logMel } = plan;
  const nf = mel.numFilters;
  for (let fr = 0; fr < frames; fr++) {
    const row = fr * nc;
    let energy = 0;
    if (loadFrame(plan, window, fr * frameStride)) energy = fft.power(work, power);
    else power.fill(0);
    melEnergies(mel, power, logMel);
    for (let k = 0; k < nf; k++) logMel[k] = ikLogf(logMel[k] as number);
    dctRows(dct, nc - 1, nf, logMel, 0, out, row + 1);
    out[row] = ikLogf(energy === 0 ? ZERO_ENERGY : energy);
  }
  if (plan.params.winSize > 0) cmvn(out, frames, nc, plan.params.winSize, plan.cmvnRows, plan.column);
}
