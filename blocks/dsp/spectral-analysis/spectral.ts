import { dspParamError, requireFftLength, requireFrequency, requireInt, requireRange, timeSeriesShape } from '../common/errors.js';
import { f32 } from '../common/f32.js';
import { ikLog10f } from '../common/math32.js';
import { allZero, realFft } from '../common/rfft.js';
import { butterSos, decimateF32, decimator, maxPoleMagnitude, sosfiltF32, toFloat32Sections, type Section } from '../common/iir.js';
import { mean, moments, rms, type Moments } from '../common/stats.js';
import { coefficientFeatures, minLengthForLevel, WAVELET_FEATURE_NAMES, WAVELET_NAMES, waveletFilters, wavedec } from '../common/wavelet.js';
import type { WaveletFilters } from '../common/wavelet-filters.js';

export interface SpectralParams {
  analysisType: 'fft' | 'wavelet';
  fftLength: number;
  scaleAxes: number;
  inputDecimationRatio: number;
  filterType: 'none' | 'low' | 'high';
  filterCutoff: number;
  filterOrder: number;
  doLog: boolean;
  doFftOverlap: boolean;
  waveletLevel: number;
  wavelet: string;
  extraLowFrequency: boolean;
}

/**
 * Version of the block's output. 2: float32 arithmetic identical to the C (float32 decimation, FFT and
 * spectral moments, ikLog10f, ikLogf in the wavelet entropy) where version 1 mixed in float64.
 */
export const SPECTRAL_VERSION = 2;

const BLOCK = 'spectral-analysis';
export const DECIMATION_RATIOS = [1, 3, 10, 30, 100, 1000] as const;

/** The reference's chains of decimation stages (the SDK implements ratios 3 and 10). */
export function decimationStages(r: number): number[] {
  switch (r) {
    case 1: return [];
    case 3: return [3];
    case 10: return [10];
    case 30: return [3, 10];
    case 100: return [10, 10];
    case 1000: return [10, 10, 10];
    default: throw dspParamError(BLOCK, `inputDecimationRatio must be one of ${DECIMATION_RATIOS.join(', ')}, got ${r}`, 'pick one of the listed ratios');
  }
}

interface BinRange {
  start: number;
  stop: number;
}

/** FFT bins kept (DC always skipped; masked to the pass band when a filter type is set). */
export function binRange(p: SpectralParams, fs: number): BinRange {
  const cutoff = Math.min(p.filterCutoff, fs / 2);
  const binVal = (cutoff * p.fftLength) / fs;
  const all = { start: 1, stop: (p.fftLength >> 1) + 1 };
  if (p.filterType === 'high') {
    let start = Math.trunc(binVal - 0.5) + 1;
    if (start === 0) start = 1;
    return { start, stop: all.stop };
  }
  if (p.filterType === 'low') return { start: 1, stop: Math.trunc(binVal + 0.5) + 1 };
  return all;
}

export interface SpectralPlan {
  readonly params: SpectralParams;
  readonly axes: number;
  readonly samples: number;
  /** Rate after input decimation. */
  readonly fs: number;
  readonly stages: readonly number[];
  /** Samples per axis after decimation. */
  readonly length: number;
  readonly sos: readonly Section[] | undefined;
  readonly bins: BinRange;
  readonly lfBins: BinRange | undefined;
  readonly wavelet: WaveletFilters | undefined;
  readonly featuresPerAxis: number;
  readonly lfFeaturesPerAxis: number;
  readonly total: number;
  readonly labels: readonly string[];
}

function round2(v: number): string {
  return String(Math.round(v * 100) / 100);
}

function fftLabels(bins: BinRange, fs: number, n: number, suffix: string): string[] {
  const labels = ['RMS', 'Skewness', 'Kurtosis', 'Spectral Skewness', 'Spectral Kurtosis'].map((l) => l + suffix);
  const spacing = fs / n;
  for (let i = bins.start; i < bins.stop; i++) {
    labels.push(`Spectral Power ${round2(i * spacing - spacing / 2)} - ${round2(i * spacing + spacing / 2)} Hz${suffix}`);
  }
  return labels;
}

export function planSpectral(p: SpectralParams, shape: readonly number[], frequency: number | undefined): SpectralPlan {
  const fs0 = requireFrequency(BLOCK, frequency);
  const { frames: samples, axes } = timeSeriesShape(BLOCK, shape);
  if (p.analysisType !== 'fft' && p.analysisType !== 'wavelet') {
    throw dspParamError(BLOCK, `analysisType must be 'fft' or 'wavelet', got '${String(p.analysisType)}'`, "use 'fft' or 'wavelet'");
  }
  if (p.filterType !== 'none' && p.filterType !== 'low' && p.filterType !== 'high') {
    throw dspParamError(BLOCK, `filterType must be 'none', 'low' or 'high', got '${String(p.filterType)}'`, "use 'none', 'low' or 'high'");
  }
  requireFftLength(BLOCK, 'fftLength', p.fftLength);
  requireRange(BLOCK, 'scaleAxes', p.scaleAxes, -1e12, 1e12, 'scaleAxes multiplies every value, e.g. 1 or 0.001');
  const stages = decimationStages(p.inputDecimationRatio);
  const fs = fs0 / p.inputDecimationRatio;
  if (p.inputDecimationRatio > 1 && p.filterType !== 'none' && p.filterCutoff > (fs / 2) * 0.9) {
    throw dspParamError(
      BLOCK,
      `filterCutoff ${p.filterCutoff} Hz is above 90% of the Nyquist frequency after decimation by ${p.inputDecimationRatio} (${(fs / 2) * 0.9} Hz)`,
      'lower inputDecimationRatio or filterCutoff',
    );
  }
  let length = samples;
  for (const r of stages) length = Math.ceil(length / r);

  let sos: Section[] | undefined;
  if (p.filterType !== 'none') {
    requireInt(BLOCK, 'filterOrder', p.filterOrder, 0, 8);
    if (p.filterOrder % 2 !== 0) {
      throw dspParamError(BLOCK, `filterOrder must be even (0, 2, 4, 6 or 8), got ${p.filterOrder}`, `use ${p.filterOrder + 1} or ${p.filterOrder - 1}`);
    }
    if (!(p.filterCutoff > 0)) {
      throw dspParamError(BLOCK, `filterCutoff must be above 0 Hz, got ${p.filterCutoff}`, 'set the cut-off frequency in Hz');
    }
    if (p.filterOrder > 0) {
      const wn = (p.filterCutoff * 2) / fs;
      if (wn >= 1) {
        throw dspParamError(
          BLOCK,
          `filterCutoff ${p.filterCutoff} Hz is at or above Nyquist (${fs / 2} Hz at ${fs} Hz)`,
          `choose a cut-off below ${fs / 2} Hz`,
        );
      }
      sos = toFloat32Sections(butterSos(p.filterOrder, wn, p.filterType));
      if (!(maxPoleMagnitude(sos) < 1)) {
        throw dspParamError(BLOCK, `the ${p.filterType}-pass filter at ${p.filterCutoff} Hz is not stable in float32`, 'move filterCutoff away from 0 and from Nyquist, or lower filterOrder');
      }
    }
  }

  let wavelet: WaveletFilters | undefined;
  let bins: BinRange = { start: 0, stop: 0 };
  let lfBins: BinRange | undefined;
  let featuresPerAxis: number;
  let lfFeaturesPerAxis = 0;
  const labels: string[] = [];
  if (p.analysisType === 'wavelet') {
    requireInt(BLOCK, 'waveletLevel', p.waveletLevel, 0, 10);
    wavelet = waveletFilters(p.wavelet);
    if (!wavelet) {
      throw dspParamError(BLOCK, `unknown wavelet '${p.wavelet}'`, `use one of ${WAVELET_NAMES.join(', ')}`);
    }
    const min = minLengthForLevel(p.waveletLevel);
    if (length < min) {
      throw dspParamError(
        BLOCK,
        `wavelet level ${p.waveletLevel} needs at least ${min} samples per axis, the window has ${length}`,
        `use a window of at least ${Math.ceil((min / fs) * 1000)} ms, or a lower waveletLevel`,
      );
    }
    featuresPerAxis = (p.waveletLevel + 1) * WAVELET_FEATURE_NAMES.length;
    for (let l = 0; l <= p.waveletLevel; l++) for (const f of WAVELET_FEATURE_NAMES) labels.push(`L${l}-${f}`);
  } else {
    bins = binRange(p, fs);
    if (bins.stop <= bins.start) {
      throw dspParamError(BLOCK, `the ${p.filterType}-pass cut-off ${p.filterCutoff} Hz masks every FFT bin`, 'raise fftLength or move filterCutoff');
    }
    featuresPerAxis = 5 + bins.stop - bins.start;
    labels.push(...fftLabels(bins, fs, p.fftLength, ''));
    if (p.extraLowFrequency) {
      const lfLength = Math.ceil(length / 10);
      if (lfLength < p.fftLength / 2) {
        throw dspParamError(
          BLOCK,
          `extraLowFrequency needs at least ${(p.fftLength / 2) * 10} samples per axis (after input decimation), the window has ${length}`,
          'use a longer window, a smaller fftLength, or turn extraLowFrequency off',
        );
      }
      lfBins = binRange(p, fs / 10);
      if (lfBins.stop <= lfBins.start) {
        throw dspParamError(BLOCK, `the cut-off ${p.filterCutoff} Hz masks every low-frequency FFT bin`, 'turn extraLowFrequency off or move filterCutoff');
      }
      lfFeaturesPerAxis = 5 + lfBins.stop - lfBins.start;
    }
  }
  const axisLabels: string[] = [];
  for (let a = 0; a < axes; a++) axisLabels.push(...labels.map((l) => (axes > 1 ? `${l} [axis ${a}]` : l)));
  if (lfBins) {
    const lf = fftLabels(lfBins, fs / 10, p.fftLength, ' LF');
    for (let a = 0; a < axes; a++) axisLabels.push(...lf.map((l) => (axes > 1 ? `${l} [axis ${a}]` : l)));
  }
  return {
    params: p,
    axes,
    samples,
    fs,
    stages,
    length,
    sos,
    bins,
    lfBins,
    wavelet,
    featuresPerAxis,
    lfFeaturesPerAxis,
    total: axes * (featuresPerAxis + lfFeaturesPerAxis),
    labels: axisLabels,
  };
}

/** Buffers of one run, reused across windows (one per plan: a plan is used by one thread). */
interface Buffers {
  /** One axis (samples floats; decimation works in place). */
  readonly x: Float32Array;
  /** One FFT segment (n), its power spectrum and the max-hold spectrum (n/2 + 1 each). */
  readonly work: Float32Array;
  readonly power: Float32Array;
  readonly hold: Float32Array;
  /** Terms of sums: max(samples, n/2 + 1). */
  readonly tmp: Float32Array;
}

const buffers = new WeakMap<SpectralPlan, Buffers>();

function buffersOf(plan: SpectralPlan): Buffers {
  let b = buffers.get(plan);
  if (!b) {
    const n = plan.params.fftLength;
    const bins = (n >> 1) + 1;
    b = { x: new Float32Array(plan.samples), work: new Float32Array(n), power: new Float32Array(bins), hold: new Float32Array(bins), tmp: new Float32Array(Math.max(plan.samples, bins)) };
    buffers.set(plan, b);
  }
  return b;
}

/**
 * welch_max_hold: hold[k] = max over segments of |rfft(segment)|²/n; segments of n samples every `hop`
 * (n/2 with overlap), trailing ones zero-padded; all-zero segments are skipped (their spectrum is 0).
 */
function welchMaxHold(x: Float32Array, len: number, n: number, hop: number, b: Buffers): void {
  const fft = realFft(n);
  b.hold.fill(0);
  for (let ix = 0; ix < len; ix += hop) {
    const seg = Math.min(n, len - ix);
    if (allZero(x, ix, seg)) continue;
    b.work.set(x.subarray(ix, ix + seg));
    b.work.fill(0, seg);
    fft.power(b.work, b.power);
    for (let k = 0; k < fft.bins; k++) if ((b.power[k] as number) > (b.hold[k] as number)) b.hold[k] = b.power[k] as number;
  }
}

/**
 * spectral_shape: skewness and kurtosis of the max-hold spectrum. Both are scale-free, so the spectrum
 * is first divided by its largest bin: its fourth powers stay far from float32's range.
 */
function spectralShape(b: Buffers, bins: number): Moments {
  let top = 0;
  for (let k = 0; k < bins; k++) if ((b.hold[k] as number) > top) top = b.hold[k] as number;
  for (let k = 0; k < bins; k++) b.work[k] = top > 0 ? (b.hold[k] as number) / top : 0;
  return moments(b.work, b.tmp, 0, bins);
}

/** fft_features: RMS, skewness, kurtosis, spectral skewness and kurtosis, then the power bins of `range` into out[o …]. */
function fftFeatures(plan: SpectralPlan, x: Float32Array, len: number, range: BinRange, b: Buffers, out: Float32Array, o: number): void {
  const p = plan.params;
  const bins = (p.fftLength >> 1) + 1;
  out[o] = rms(x, b.tmp, 0, len);
  const m = moments(x, b.tmp, 0, len);
  out[o + 1] = m.skewness;
  out[o + 2] = m.kurtosis;
  welchMaxHold(x, len, p.fftLength, hop(p), b);
  const shape = spectralShape(b, bins);
  out[o + 3] = shape.skewness;
  out[o + 4] = shape.kurtosis;
  for (let k = range.start; k < range.stop; k++) {
    const v = b.hold[k] as number;
    out[o + 5 + k - range.start] = p.doLog ? ikLog10f(v === 0 ? ZERO_POWER : v) : v;
  }
}

/** Samples between FFT segments. */
export function hop(p: SpectralParams): number {
  return p.fftLength - (p.doFftOverlap ? Math.trunc(p.fftLength / 2) : 0);
}

/** 1e-10 in float32: the log of a zero power bin is taken of this (−10). */
const ZERO_POWER = f32(1e-10);

/** remove_mean: x[i] −= mean(x) (float32, numpy's mean). */
function removeMean(x: Float32Array, len: number): void {
  const m = mean(x, 0, len);
  for (let i = 0; i < len; i++) x[i] = (x[i] as number) - m;
}

/** wavelet_axis: the 14 statistics of every coefficient array of the decomposition of x[0 .. len), in output order. */
function waveletAxis(plan: SpectralPlan, x: Float32Array, len: number, out: Float32Array, o: number): void {
  const coefficients = wavedec(x.subarray(0, len), plan.wavelet as WaveletFilters, plan.params.waveletLevel);
  coefficients.forEach((c, slot) => coefficientFeatures(c, c.length, out, o + WAVELET_FEATURE_NAMES.length * slot));
}

/**
 * Spectral features of one [frames, axes] window, axis-major (reference v4) — the TS twin of
 * c/spectral.c (ik_spectral_run), in float32: per axis scale, optional decimation (float32, its
 * constant kept apart, see decimateF32), optional Butterworth filter, mean removal, then either RMS /
 * skewness / kurtosis / spectral skewness / spectral kurtosis + log10 Welch max-hold power bins (DC
 * skipped), or 14 statistics per wavelet decomposition level; the extra low-frequency features of
 * every axis after all axes.
 */
export function runSpectral(plan: SpectralPlan, window: ArrayLike<number>): Float32Array {
  const out = new Float32Array(plan.total);
  spectralInto(plan, window, out);
  return out;
}

/** runSpectral into `out` (plan.total values; every one is written). */
export function spectralInto(plan: SpectralPlan, window: ArrayLike<number>, out: Float32Array): void {
  const { params: p, axes, samples } = plan;
  const b = buffersOf(plan);
  const x = b.x;
  const scale = f32(p.scaleAxes);
  const decimators = plan.stages.map(decimator);
  for (let a = 0; a < axes; a++) {
    const o = a * plan.featuresPerAxis;
    let len = samples;
    const offset = { value: 0 }; // what the decimation stages took out of x
    for (let i = 0; i < samples; i++) x[i] = f32(window[i * axes + a] as number) * scale;
    for (const d of decimators) len = decimateF32(d, x, len, offset);
    if (plan.sos) {
      // the filter starts from rest: it must see the constant the decimation took out
      if (offset.value !== 0) for (let i = 0; i < len; i++) x[i] = (x[i] as number) + offset.value;
      sosfiltF32(plan.sos, x, len);
    }
    // (without a filter the decimation's constant goes with the mean)
    removeMean(x, len);
    if (plan.wavelet) {
      waveletAxis(plan, x, len, out, o);
    } else {
      fftFeatures(plan, x, len, plan.bins, b, out, o);
      if (plan.lfBins) {
        const lfOffset = { value: 0 }; // a constant: removed with the mean
        const lfLen = decimateF32(decimator(10), x, len, lfOffset);
        removeMean(x, lfLen);
        fftFeatures(plan, x, lfLen, plan.lfBins, b, out, axes * plan.featuresPerAxis + a * plan.lfFeaturesPerAxis);
      }
    }
  }
}
