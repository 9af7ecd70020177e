/** C implementation of one MFCC instance: shared sources in ./c, tables generated here. */
import type { BlockCCode } from '../../../core/plugin/types.js';
import { checkInstanceName, cFloat, dspDefinition, dspPrototype, floatTable, instanceBanner, pickSources, uintTable } from '../common/c-emit.js';
import { C_SOURCES as COMMON_C } from '../common/c-sources.gen.js';
import { fftPlan, melBank } from '../common/c-tables.js';
import { C_SOURCES as MFCC_C } from './c-sources.gen.js';
import { MFCC_VERSION, type MfccPlan } from './mfcc.js';

const SOURCES = [
  'common/dsp.h',
  'common/math32.h',
  'common/math32.c',
  'common/fft.h',
  'common/fft.c',
  'common/mel.h',
  'common/mel.c',
  'common/dct.h',
  'common/dct.c',
  'common/cmvn.h',
  'common/cmvn.c',
  'mfcc/mfcc.h',
  'mfcc/mfcc.c',
];

/** max(n + n/2 + 1 + numFilters, frames when normalising): frame, power, log mel; then the CMVN column. */
export function mfccScratchFloats(plan: MfccPlan): number {
  const n = plan.params.fftLength;
  return Math.max(n + (n >> 1) + 1 + plan.params.numFilters, plan.params.winSize > 0 ? plan.frames : 0);
}

export function mfccC(plan: MfccPlan, params: Readonly<Record<string, unknown>>, frequency: number, fn: string): BlockCCode {
  checkInstanceName('mfcc', fn);
  const p = plan.params;
  const nc = plan.numCepstral;
  const nf = p.numFilters;
  const fft = fftPlan(fn, p.fftLength);
  const mel = melBank(fn, plan.fb);
  // row 0 of the DCT is never used: c0 is replaced by the log frame energy
  const dct = nc > 1 ? floatTable(`${fn}_dct`, plan.dct, `DCT-II (orthonormal), rows 1 .. ${nc - 1} of ${nf} points, row-major`) : undefined;
  // normalisation: the frame each padded position reads (numpy 'symmetric' padding)
  const pad = (p.winSize - 1) >> 1;
  const cmvnRows =
    p.winSize > 0
      ? uintTable(`${fn}_cmvn_rows`, 'uint16_t', plan.cmvnRows, `normalisation window of ${p.winSize} frames: frame read at padded positions −${pad} .. ${plan.frames - 1 + pad}`)
      : undefined;
  const flash = fft.bytes + mel.bytes + (dct?.bytes ?? 0) + (cmvnRows?.bytes ?? 0) + 52;
  const scratch = mfccScratchFloats(plan);
  const instance = [
    instanceBanner({
      block: 'mfcc',
      version: MFCC_VERSION,
      fn,
      params,
      lines: [
        `input:   ${plan.samples} samples × 1 axis at ${frequency} Hz`,
        `output:  ${plan.frames} frames × ${nc} coefficients = ${plan.frames * nc} floats`,
        `frames:  ${plan.frameLength} samples every ${plan.frameStride}, FFT ${p.fftLength}${plan.frameLength > p.fftLength ? ' (frames cropped)' : ''}`,
        `scratch: ${scratch} floats = max(n + n/2 + 1 + numFilters, frames if winSize > 0)`,
        `flash:   ${flash} bytes of tables and configuration`,
      ],
    }),
    '#include "mfcc/mfcc.h"\n',
    dspPrototype(fn),
    fft.code,
    mel.code,
    dct ? dct.code : '',
    cmvnRows ? cmvnRows.code : '',
    `static const ik_mfcc_config ${fn}_config = {
    .samples = ${plan.samples}u,
    .frames = ${plan.frames}u,
    .frame_length = ${plan.frameLength}u,
    .frame_stride = ${plan.frameStride}u,
    .pre_cof = ${cFloat(p.preCof)},
    .pre_shift = ${p.preShift}u,
    .fft = &${fft.name},
    .mel = &${mel.name},
    .num_cepstral = ${nc}u,
    .dct = ${dct ? `${fn}_dct` : 'NULL'},
    .cmvn_window = ${p.winSize}u,
    .cmvn_rows = ${cmvnRows ? `${fn}_cmvn_rows` : 'NULL'},
};
`,
    dspDefinition(fn, `ik_mfcc_run(&${fn}_config, input, output, scratch)`),
  ].join('\n');
  return { sources: pickSources([COMMON_C, MFCC_C], SOURCES), instance, scratchFloats: scratch };
}
