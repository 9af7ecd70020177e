/**
 * Optimized kernels for Armv7E-M (Cortex-M4/M7/M33 with the DSP extension): for an op they can
 * handle, a call of generated, shape-specialised C (with a portable fallback compiled where the
 * DSP extension is absent, so the library still builds anywhere); otherwise undefined and the
 * portable kernel is used. Bit-identical to the portable kernels by contract (tests in this folder).
 *
 * Handled (int8 activations and weights): CONV_2D, DEPTHWISE_CONV_2D (one input channel: as a
 * convolution; more: four channels at a time), FULLY_CONNECTED with symmetric weights, MAX_POOL_2D,
 * AVERAGE_POOL_2D and the global average pool, ADD. See README.md.
 */
import type { ModelIR, Op } from '../../../../core/model/ir.js';
import type { CallContext, KernelCall } from '../kernel-calls.js';
import { addCall } from './add.js';
import { convCall, gemmConvOf, gemmScratchBytes } from './conv.js';
import { depthwiseCall } from './depthwise.js';
import { fullyConnectedCall } from './fully-connected.js';
import { poolCall } from './pool.js';

/** An optimized call: a KernelCall plus the C files it brings (path under src/ → content). */
export interface OptimizedCall extends KernelCall {
  readonly files: ReadonlyMap<string, string>;
  /**
   * Constant tensors the call reads from its own rearranged copy in `definitions`, not from the
   * weights file (which then leaves them out unless another call reads them).
   */
  readonly ownConstants?: readonly number[];
  /** Bytes of constant data (rearranged weights, requantization tables) in `definitions`. */
  readonly constantBytes?: number;
}

/** int8 activations in and out, and int8 weights where the op has some. */
function isInt8(model: ModelIR, op: Op): boolean {
  const t = (i: number) => model.tensors[i]!;
  if (t(op.inputs[0]!).dtype !== 'int8' || t(op.outputs[0]!).dtype !== 'int8') return false;
  if (op.op === 'conv2d' || op.op === 'depthwiseConv2d' || op.op === 'fullyConnected') {
    if (t(op.inputs[1]!).dtype !== 'int8' || t(op.inputs[1]!).data === undefined) return false;
    const b = op.inputs[2] ?? -1;
    if (b >= 0 && (t(b).dtype !== 'int32' || t(b).data === undefined)) return false;
  }
  if (op.op === 'add' && t(op.inputs[1]!).dtype !== 'int8') return false;
  return true;
}

export function optimizedCall(ctx: CallContext, op: Op): OptimizedCall | undefined {
  const { model } = ctx;
  if (!isInt8(model, op)) return undefined;
  switch (op.op) {
    case 'conv2d':
    case 'depthwiseConv2d': {
      const gemm = gemmConvOf(model, op);
      if (gemm) return convCall(ctx, op, gemm);
      return op.op === 'depthwiseConv2d' ? depthwiseCall(ctx, op, model) : undefined;
    }
    case 'fullyConnected':
      return fullyConnectedCall(ctx, op, model);
    case 'maxPool2d':
    case 'avgPool2d':
    case 'globalAvgPool':
      return poolCall(ctx, op, model);
    case 'add':
      return addCall(ctx, op, model);
    default:
      return undefined;
  }
}

/**
 * Arena bytes an optimized kernel needs besides its tensors: the two im2col columns of a
 * convolution run as a matrix product (2 × kH·kW·inC int16, rounded up to groups of 4). Reported
 * through kernelScratchBytes so the memory planner places them.
 */
export function optimizedScratchBytes(model: ModelIR, op: Op): number {
  if ((op.op !== 'conv2d' && op.op !== 'depthwiseConv2d') || !isInt8(model, op)) return 0;
  const w = model.tensors[op.inputs[1]!]!.shape;
  const inC = model.tensors[op.inputs[0]!]!.shape[3]!;
  if (op.op === 'depthwiseConv2d' && inC !== 1) return 0;
  return gemmScratchBytes({ kH: w[1]!, kW: w[2]!, inC });
}
