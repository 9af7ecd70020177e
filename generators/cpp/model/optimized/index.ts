/**
 * Optimized kernels for Armv7E-M (Cortex-M4/M7/M33 with the DSP extension): for an op they can
 * handle, a call of generated, shape-specialised C (with a portable fallback compiled where the
 * DSP extension is absent, so the library still builds anywhere); otherwise undefined and the
 * portable kernel is used. Bit-identical to the portable kernels by contract (tests in this folder).
 */
import type { Op } from '../../../../core/model/ir.js';
import type { CallContext, KernelCall } from '../kernel-calls.js';

/** An optimized call: a KernelCall plus the C files it brings (path under src/ → content). */
export interface OptimizedCall extends KernelCall {
  readonly files: ReadonlyMap<string, string>;
}

export function optimizedCall(_ctx: CallContext, _op: Op): OptimizedCall | undefined {
  return undefined;
}
