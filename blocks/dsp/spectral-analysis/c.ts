/** C implementation of one spectral-analysis instance: shared sources in ./c, tables generated here. */
import type { BlockCCode } from '../../../core/plugin/types.js';
import { checkInstanceName, cFloat, dspDefinition, dspPrototype, floatTable, instanceBanner, pickSources, uintTable } from '../common/c-emit.js';
import { C_SOURCES as COMMON_C } from '../common/c-sources.gen.js';
import { biquads, decimatorTables, fftPlan } from '../common/c-tables.js';
import { dwtLength, PERCENTILES, percentileIndex } from '../common/wavelet.js';
import { C_SOURCES as SPECTRAL_C } from './c-sources.gen.js';
import { SPECTRAL_VERSION, type SpectralPlan } from './spectral.js';

const SOURCES = [
  'common/dsp.h',
  'common/math32.h',
  'common/math32.c',
  'common/fft.h',
  'common/fft.c',
  'common/iir.h',
  'common/iir.c',
  'common/stats.h',
  'common/stats.c',
  'common/wavelet.h',
  'common/wavelet.c',
  'spectral-analysis/spectral.h',
  'spectral-analysis/spectral.c',
];

/** Floats of the histogram of the wavelet entropy (101 edges, 100 counts): IK_WAVELET_HISTOGRAM_FLOATS. */
const HISTOGRAM_FLOATS = 201;

/** Coefficients of the first decomposition level (0 at level 0). */
function firstLevelLength(plan: SpectralPlan): number {
  return plan.wavelet && plan.params.waveletLevel > 0 ? dwtLength(plan.length, plan.wavelet.decLo.length) : 0;
}

/**
 * FFT:     samples + n + 2·(n/2 + 1) + max(samples, n/2 + 1)   (axis, segment, power, max-hold, terms)
 * wavelet: samples + 2·L1 + 2·max(length, L1) + 201           (axis, approximation, detail, sorted, terms, histogram)
 * Mirrors ik_spectral_scratch_floats() in spectral.c.
 */
export function spectralScratchFloats(plan: SpectralPlan): number {
  if (plan.wavelet) {
    const l1 = firstLevelLength(plan);
    return plan.samples + 2 * l1 + 2 * Math.max(plan.length, l1) + HISTOGRAM_FLOATS;
  }
  const n = plan.params.fftLength;
  return plan.samples + n + 2 * ((n >> 1) + 1) + Math.max(plan.samples, (n >> 1) + 1);
}

/** Lengths of the coefficient arrays in output order: cA_level, cD_level, …, cD_1 (just [length] at level 0). */
function coefficientLengths(plan: SpectralPlan): number[] {
  const taps = plan.wavelet?.decLo.length ?? 0;
  const levels: number[] = [];
  let len = plan.length;
  for (let l = 1; l <= plan.params.waveletLevel; l++) {
    len = dwtLength(len, taps);
    levels.push(len);
  }
  return [levels.at(-1) ?? plan.length, ...levels.reverse()];
}

export function spectralC(plan: SpectralPlan, params: Readonly<Record<string, unknown>>, frequency: number, fn: string): BlockCCode {
  checkInstanceName('spectral-analysis', fn);
  const p = plan.params;
  const parts: string[] = [];
  let flash = 100; // the configuration struct
  const add = (code: string, bytes: number): void => {
    parts.push(code);
    flash += bytes;
  };

  // decimation stages (and the extra low-frequency decimator by 10), each distinct ratio once
  const ratios = [...new Set([...plan.stages, ...(plan.lfBins ? [10] : [])])];
  const inits = new Map<number, string>();
  for (const r of ratios) {
    const t = decimatorTables(fn, r);
    add(t.code, t.bytes);
    inits.set(r, t.init);
  }
  if (plan.stages.length > 0) {
    add(`static const ik_decimator ${fn}_decimators[${plan.stages.length}] = { ${plan.stages.map((r) => inits.get(r)).join(', ')} };\n`, 16 * plan.stages.length);
  }
  if (plan.lfBins) add(`static const ik_decimator ${fn}_lf_decimator = ${inits.get(10)};\n`, 16);
  if (plan.sos) {
    const f = biquads(`${fn}_filter`, plan.sos, `Butterworth ${p.filterType}-pass, order ${p.filterOrder}, cut-off ${p.filterCutoff} Hz at ${Number(plan.fs.toPrecision(6))} Hz`);
    add(f.code, f.bytes);
  }
  const fft = plan.wavelet ? undefined : fftPlan(fn, p.fftLength);
  if (fft) add(fft.code, fft.bytes);
  if (plan.wavelet) {
    const w = plan.wavelet;
    const lo = floatTable(`${fn}_wavelet_lo`, w.decLo, `${p.wavelet} decomposition low-pass filter (${w.decLo.length} taps)`);
    const hi = floatTable(`${fn}_wavelet_hi`, w.decHi, `${p.wavelet} decomposition high-pass filter`);
    const lengths = coefficientLengths(plan);
    const index = lengths.flatMap((n) => PERCENTILES.map((q) => percentileIndex(n, q)));
    const pct = uintTable(
      `${fn}_percentile_index`,
      'uint32_t',
      index,
      `sorted positions of the 5th, 25th, 75th, 95th, 50th percentiles per coefficient array (lengths ${lengths.join(', ')})`,
    );
    add(lo.code + '\n' + hi.code + '\n' + pct.code, lo.bytes + hi.bytes + pct.bytes);
  }
  const range = (r: { start: number; stop: number } | undefined): string => (r ? `{ ${r.start}u, ${r.stop}u }` : '{ 0u, 0u }');
  const config = `static const ik_spectral_config ${fn}_config = {
    .samples = ${plan.samples}u,
    .axes = ${plan.axes}u,
    .scale = ${cFloat(p.scaleAxes)},
    .decimator_count = ${plan.stages.length}u,
    .decimators = ${plan.stages.length > 0 ? `${fn}_decimators` : 'NULL'},
    .length = ${plan.length}u,
    .filter_sections = ${plan.sos?.length ?? 0}u,
    .filter = ${plan.sos ? `${fn}_filter` : 'NULL'},
    .analysis = ${plan.wavelet ? 'IK_SPECTRAL_WAVELET' : 'IK_SPECTRAL_FFT'},
    .features_per_axis = ${plan.featuresPerAxis}u,
    .lf_features_per_axis = ${plan.lfFeaturesPerAxis}u,
    .fft = ${fft ? `&${fft.name}` : 'NULL'},
    .hop = ${p.fftLength - (p.doFftOverlap ? Math.trunc(p.fftLength / 2) : 0)}u,
    .do_log = ${p.doLog ? 1 : 0},
    .bins = ${range(plan.wavelet ? undefined : plan.bins)},
    .lf_decimator = ${plan.lfBins ? `&${fn}_lf_decimator` : 'NULL'},
    .lf_bins = ${range(plan.lfBins)},
    .wavelet_level = ${plan.wavelet ? p.waveletLevel : 0}u,
    .wavelet_taps = ${plan.wavelet?.decLo.length ?? 0}u,
    .wavelet_lo = ${plan.wavelet ? `${fn}_wavelet_lo` : 'NULL'},
    .wavelet_hi = ${plan.wavelet ? `${fn}_wavelet_hi` : 'NULL'},
    .percentile_index = ${plan.wavelet ? `${fn}_percentile_index` : 'NULL'},
};
`;
  const scratch = spectralScratchFloats(plan);
  const analysis = plan.wavelet
    ? `wavelet ${p.wavelet}, level ${p.waveletLevel}`
    : `FFT ${p.fftLength}, bins ${plan.bins.start}..${plan.bins.stop - 1}${p.doLog ? ' (log10)' : ''}${plan.lfBins ? `, low-frequency bins ${plan.lfBins.start}..${plan.lfBins.stop - 1}` : ''}`;
  const instance = [
    instanceBanner({
      block: 'spectral-analysis',
      version: SPECTRAL_VERSION,
      fn,
      params,
      lines: [
        `input:   ${plan.samples} rows × ${plan.axes} axes at ${frequency} Hz${plan.stages.length ? `, decimated to ${plan.length} at ${Number(plan.fs.toPrecision(6))} Hz` : ''}`,
        `output:  ${plan.axes} axes × ${plan.featuresPerAxis}${plan.lfFeaturesPerAxis ? ` + ${plan.axes} × ${plan.lfFeaturesPerAxis} low-frequency` : ''} = ${plan.total} floats (${analysis})`,
        `scratch: ${scratch} floats = ${plan.wavelet ? 'samples + 2·L1 + 2·max(length, L1) + 201' : 'samples + n + 2·(n/2 + 1) + max(samples, n/2 + 1)'}`,
        `flash:   ${flash} bytes of tables and configuration`,
      ],
    }),
    '#include "spectral-analysis/spectral.h"\n',
    dspPrototype(fn),
    ...parts,
    config,
    dspDefinition(fn, `ik_spectral_run(&${fn}_config, input, output, scratch)`),
  ].join('\n');
  return { sources: pickSources([COMMON_C, SPECTRAL_C], SOURCES), instance, scratchFloats: scratch };
}
