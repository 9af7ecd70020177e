/**
 * Target `cpp`: the whole impulse as an interpreter-free C99 library (with a thin C++ header):
 * the DSP blocks' C, the network as one kernel call per op on a statically planned arena,
 * weights in flash, a Makefile, a CMakeLists.txt and an example program. See sdk/generate.ts.
 */
import { Type } from '@sinclair/typebox';
import { defineTarget } from '../../core/plugin/define.js';
import { generateSdk, type SdkReport } from './sdk/generate.js';
import { sdkSpecOfImpulse } from './sdk/spec.js';

export const CppParams = Type.Object(
  {
    precision: Type.Optional(
      Type.Union([Type.Literal('int8'), Type.Literal('float32')], {
        default: 'int8',
        description: 'The network in the library: int8 (the quantized model, bit-identical to the int8 evaluation) or float32.',
      }),
    ),
    kernels: Type.Optional(
      Type.Union([Type.Literal('optimized'), Type.Literal('portable')], {
        default: 'optimized',
        description:
          'optimized: Armv7E-M SIMD kernels specialised for the model\'s shapes where an op allows it (Cortex-M4/M7/M33; elsewhere they compile to their portable fallback), bit-identical to the portable ones; portable: the generic C99 kernels only.',
      }),
    ),
  },
  { additionalProperties: false },
);

/** One line about a generated library, for the logs. */
export function describeReport(r: SdkReport): string {
  const greedy = r.greedyBytes !== undefined ? `, greedy-by-size ${r.greedyBytes} B` : '';
  const optimized = r.kernelSet === 'optimized' ? `; ${r.optimizedOps} ops on optimized kernels` : '';
  return `arena ${r.arenaBytes} B (all buffers separate: ${r.sumBytes} B${greedy}); weights ${r.weightsBytes} B; kernels: ${r.kernels.join(', ') || 'none'}${optimized}`;
}

export default defineTarget({
  kind: 'target',
  type: 'cpp',
  version: 1,
  title: 'C/C++ library',
  description: 'An interpreter-free C99 library of the impulse (DSP + network + anomaly), one static arena, weights in flash, Makefile, CMakeLists.txt and an example.',
  params: CppParams,
  async generate(ctx, impulse, params) {
    const spec = await sdkSpecOfImpulse(impulse, params.precision ?? 'int8');
    const sdk = generateSdk(spec, params.kernels ?? 'optimized');
    ctx.log(describeReport(sdk.report));
    ctx.report?.({ arenaBytes: sdk.report.arenaBytes, weightsBytes: sdk.report.weightsBytes });
    return sdk.files;
  },
});
