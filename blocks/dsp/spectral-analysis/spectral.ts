import { dspParamError, requireFftLength, requireFrequency, requireInt, requireRange, timeSeriesShape } from '../common/errors.js';
import { f32 } from '../common/f32.js';
import { powerSpectrumPlan } from '../common/fft.js';
import { butterSos, decimate, maxPoleMagnitude, sosfilt, toFloat32Sections, type Section } from '../common/iir.js';
import { mean, moments, rms } from '../common/stats.js';
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

/** Max-hold over segments of n samples (hop n/2 with overlap), |rfft|²/n per bin; trailing segments zero-padded. */
export function welchMaxHold(x: ArrayLike<number>, n: number, overlap: boolean, out: Float64Array): void {
  const ps = powerSpectrumPlan(n);
  const step = n - (overlap ? Math.trunc(n / 2) : 0);
  const tmp = new Float64Array(ps.bins);
  out.fill(0, 0, ps.bins);
  for (let ix = 0; ix < x.length; ix += step) {
    ps.compute(x, ix, Math.min(n, x.length - ix), tmp, 0);
    for (let k = 0; k < ps.bins; k++) if ((tmp[k] as number) > (out[k] as number)) out[k] = tmp[k] as number;
  }
}

function spectralFeatures(x: ArrayLike<number>, single: boolean, p: SpectralParams, bins: BinRange, out: number[]): void {
  out.push(rms(x, single));
  const m = moments(x, single);
  out.push(m.skewness, m.kurtosis);
  const powers = new Float64Array((p.fftLength >> 1) + 1);
  welchMaxHold(x, p.fftLength, p.doFftOverlap, powers);
  const sm = moments(powers, false);
  out.push(sm.skewness, sm.kurtosis);
  for (let i = bins.start; i < bins.stop; i++) {
    const v = powers[i] as number;
    out.push(p.doLog ? Math.log10(v === 0 ? 1e-10 : v) : v);
  }
}

/**
 * Spectral features of one [frames, axes] window, axis-major (reference v4): per axis,
 * scale, optional decimation, optional Butterworth filter, mean removal, then either
 * RMS / skewness / kurtosis / spectral skewness / spectral kurtosis + log10 Welch max-hold
 * power bins (DC skipped), or 14 statistics per wavelet decomposition level. Arithmetic
 * follows the reference's float32 / float64 choices.
 */
export function runSpectral(plan: SpectralPlan, window: ArrayLike<number>): Float32Array {
  const { params: p, axes, samples } = plan;
  const feats: number[] = [];
  const lf: number[] = [];
  const scale = f32(p.scaleAxes);
  for (let a = 0; a < axes; a++) {
    let x: Float64Array = new Float64Array(samples);
    for (let i = 0; i < samples; i++) x[i] = f32(f32(window[i * axes + a] as number) * scale);
    let single = true;
    for (const r of plan.stages) {
      x = decimate(x, r);
      single = false;
    }
    if (plan.sos) {
      const y = new Float64Array(x.length);
      sosfilt(plan.sos, x, x.length, y, single);
      x = y;
    }
    const m = mean(x, single);
    for (let i = 0; i < x.length; i++) x[i] = single ? f32((x[i] as number) - m) : (x[i] as number) - m;

    if (plan.wavelet) {
      for (const c of wavedec(x, plan.wavelet, p.waveletLevel, single)) coefficientFeatures(c, single, feats);
    } else {
      spectralFeatures(x, single, p, plan.bins, feats);
      if (plan.lfBins) {
        const d = decimate(x, 10);
        const dm = mean(d, false);
        for (let i = 0; i < d.length; i++) d[i] = (d[i] as number) - dm;
        spectralFeatures(d, false, p, plan.lfBins, lf);
      }
    }
  }
  const out = new Float32Array(plan.total);
  let k = 0;
  for (const v of feats) out[k++] = v;
  for (const v of lf) out[k++] = v;
  return out;
}
