/** C implementation of one MFE instance: shared sources in ./c, tables generated here. */
import type { BlockCCode } from '../../../core/plugin/types.js';
import { checkInstanceName, cFloat, dspDefinition, dspPrototype, instanceBanner, pickSources } from '../common/c-emit.js';
import { C_SOURCES as COMMON_C } from '../common/c-sources.gen.js';
import { fftPlan, melBank } from '../common/c-tables.js';
import { C_SOURCES as MFE_C } from './c-sources.gen.js';
import { MFE_VERSION, type MfePlan } from './mfe.js';

const SOURCES = ['common/dsp.h', 'common/math32.h', 'common/math32.c', 'common/fft.h', 'common/fft.c', 'common/mel.h', 'common/mel.c', 'mfe/mfe.h', 'mfe/mfe.c'];

/** n + n/2 + 1: the frame, then its power spectrum (mel energies go straight into the output row). */
export function mfeScratchFloats(plan: MfePlan): number {
  const n = plan.fft.n;
  return n + (n >> 1) + 1;
}

export function mfeC(plan: MfePlan, params: Readonly<Record<string, unknown>>, frequency: number, fn: string): BlockCCode {
  checkInstanceName('mfe', fn);
  const n = plan.fft.n;
  const q = plan.quantisation;
  const fft = fftPlan(fn, n);
  const mel = melBank(fn, plan.fb);
  const flash = fft.bytes + mel.bytes + 48;
  const scratch = mfeScratchFloats(plan);
  const instance = [
    instanceBanner({
      block: 'mfe',
      version: MFE_VERSION,
      fn,
      params,
      lines: [
        `input:   ${plan.samples} samples × 1 axis at ${frequency} Hz`,
        `output:  ${plan.frames} frames × ${plan.numFilters} filters = ${plan.frames * plan.numFilters} floats (multiples of 1/256)`,
        `frames:  ${plan.frameLength} samples every ${plan.frameStride}, FFT ${n}${plan.frameLength > n ? ' (frames cropped)' : ''}`,
        `scratch: ${scratch} floats = n + n/2 + 1`,
        `flash:   ${flash} bytes of tables and configuration`,
      ],
    }),
    '#include "mfe/mfe.h"\n',
    dspPrototype(fn),
    fft.code,
    mel.code,
    `/* quantisation for noiseFloorDb ${plan.noiseFloorDb} dB: 256·(10·log10(e) − floor) / (−floor + 12) = ln(e)·log_gain + log_offset */
static const ik_mfe_config ${fn}_config = {
    .samples = ${plan.samples}u,
    .frames = ${plan.frames}u,
    .frame_length = ${plan.frameLength}u,
    .frame_stride = ${plan.frameStride}u,
    .fft = &${fft.name},
    .mel = &${mel.name},
    .energy_floor = ${cFloat(q.floor)},
    .energy_ceil = ${cFloat(q.ceil)},
    .log_gain = ${cFloat(q.gain)},
    .log_offset = ${cFloat(q.offset)},
    .silent_value = ${cFloat(q.silent)},
};
`,
    dspDefinition(fn, `ik_mfe_run(&${fn}_config, input, output, scratch)`),
  ].join('\n');
  return { sources: pickSources([COMMON_C, MFE_C], SOURCES), instance, scratchFloats: scratch };
}
