/** C implementation of one spectrogram instance: shared sources in ./c, tables generated here. */
import type { BlockCCode } from '../../../core/plugin/types.js';
import { checkInstanceName, cFloat, dspDefinition, dspPrototype, instanceBanner, pickSources } from '../common/c-emit.js';
import { C_SOURCES as COMMON_C } from '../common/c-sources.gen.js';
import { fftPlan } from '../common/c-tables.js';
import { C_SOURCES as SPECTROGRAM_C } from './c-sources.gen.js';
import { SPECTROGRAM_VERSION, type SpectrogramPlan } from './spectrogram.js';

const SOURCES = ['common/dsp.h', 'common/math32.h', 'common/math32.c', 'common/fft.h', 'common/fft.c', 'spectrogram/spectrogram.h', 'spectrogram/spectrogram.c'];

/** n: the frame (its power spectrum goes straight into the output row). */
export function spectrogramScratchFloats(plan: SpectrogramPlan): number {
  return plan.fft.n;
}

export function spectrogramC(plan: SpectrogramPlan, params: Readonly<Record<string, unknown>>, frequency: number, samples: number, fn: string): BlockCCode {
  checkInstanceName('spectrogram', fn);
  const n = plan.fft.n;
  const nf = plan.noiseFloorDb;
  const { floor, gain, offset } = plan.scaling;
  const fft = fftPlan(fn, n);
  const flash = fft.bytes + 32;
  const scratch = spectrogramScratchFloats(plan);
  const instance = [
    instanceBanner({
      block: 'spectrogram',
      version: SPECTROGRAM_VERSION,
      fn,
      params,
      lines: [
        `input:   ${samples} samples × 1 axis at ${frequency} Hz`,
        `output:  ${plan.frames} frames × ${plan.bins} bins = ${plan.frames * plan.bins} floats`,
        `frames:  ${plan.frameLength} samples every ${plan.frameStride}, FFT ${n}${plan.frameLength > n ? ' (frames cropped)' : ''}`,
        `scratch: ${scratch} floats = n`,
        `flash:   ${flash} bytes of tables and configuration`,
      ],
    }),
    '#include "spectrogram/spectrogram.h"\n',
    dspPrototype(fn),
    fft.code,
    `/* noiseFloorDb ${nf} dB: (10·log10(p) − floor) / (−floor + 12) = ln(p)·log_gain + log_offset */
static const ik_spectrogram_config ${fn}_config = {
    .frames = ${plan.frames}u,
    .frame_length = ${plan.frameLength}u,
    .frame_stride = ${plan.frameStride}u,
    .fft = &${fft.name},
    .power_floor = ${cFloat(floor)},
    .log_gain = ${cFloat(gain)},
    .log_offset = ${cFloat(offset)},
};
`,
    dspDefinition(fn, `ik_spectrogram_run(&${fn}_config, input, output, scratch)`),
  ].join('\n');
  return { sources: pickSources([COMMON_C, SPECTROGRAM_C], SOURCES), instance, scratchFloats: scratch };
}
