/**
 * Builtin op versions: which the reader accepts, which the writer sets, and the oldest TFLite
 * runtime that runs each (for the `min_runtime_version` metadata).
 *
 * The facts come from TFLite's op versioning (tensorflow/lite/tools/versioning/op_version.cc and
 * runtime_version.cc): a converter gives each op the lowest version whose features it uses, and
 * a runtime refuses versions newer than its kernels. So the writer sets exactly that lowest
 * version for the tensor types at hand, as the converter would, and every runtime since the
 * listed one (and ArmNN, which reads these files the same way) accepts the file.
 */
import { BuiltinOperator as B } from './schema.js';

/** What a version of an op adds, for ops and versions we do not read (shown in the error). */
interface VersionSupport {
  readonly accepted: readonly number[];
  readonly notes: Readonly<Record<number, string>>;
}

/** Versions the reader accepts per builtin op; anything else is one clear unsupported-op error. */
export const READABLE_VERSIONS: ReadonlyMap<number, VersionSupport> = new Map<number, VersionSupport>([
  // v1 float, v2 hybrid (float activations, int8 weights per tensor), v3 int8
  [B.CONV_2D, { accepted: [1, 2, 3], notes: { 4: 'int16 activations', 5: 'hybrid with per-channel weights', 6: 'grouped convolution', 7: 'int4 weights', 8: 'int16 activations with a chosen bias type' } }],
  // v1 float, v2 dilation, v3 int8, v4 hybrid per tensor
  [B.DEPTHWISE_CONV_2D, { accepted: [1, 2, 3, 4], notes: { 5: 'int16 activations', 6: 'hybrid with per-channel weights', 7: 'int4 weights' } }],
  // v1 float, v3 hybrid, v4 int8, v5 keep_num_dims, v6 without bias
  [
    B.FULLY_CONNECTED,
    {
      accepted: [1, 3, 4, 5, 6],
      notes: { 2: 'shuffled weights', 7: 'int16 activations', 8: 'sparse weights', 9: 'hybrid with asymmetric inputs', 10: 'int4 weights', 11: 'int16 activations with a chosen bias type', 12: 'hybrid with per-channel weights' },
    },
  ],
  [B.MAX_POOL_2D, { accepted: [1, 2], notes: { 3: 'int16 activations' } }],
  [B.AVERAGE_POOL_2D, { accepted: [1, 2], notes: { 3: 'int16 activations' } }],
  [B.RESHAPE, { accepted: [1], notes: {} }],
  [B.SOFTMAX, { accepted: [1, 2], notes: { 3: 'int16 activations' } }],
  [B.ADD, { accepted: [1, 2], notes: { 3: 'int16 activations', 4: 'int64 tensors', 5: 'int16 tensors' } }],
  [B.CONCATENATION, { accepted: [1, 2], notes: { 3: 'int16 activations', 4: 'uint32 tensors' } }],
  [B.PAD, { accepted: [1, 2], notes: { 3: 'int16 activations', 4: 'more than 4 dimensions' } }],
  [B.QUANTIZE, { accepted: [1], notes: { 2: 'int16 output', 3: 'per-channel output', 4: 'int4' } }],
  // v1 uint8 input (refused by its type), v2 int8
  [B.DEQUANTIZE, { accepted: [1, 2], notes: { 3: 'int16 or float16 input', 4: 'sparse input', 5: 'per-channel input', 6: 'int4 input' } }],
]);

/** The oldest runtime with each (op, version) we write (runtime_version.cc). */
const MIN_RUNTIME: ReadonlyMap<number, Readonly<Record<number, string>>> = new Map<number, Readonly<Record<number, string>>>([
  [B.CONV_2D, { 1: '1.5.0', 2: '1.14.0', 3: '1.14.0', 5: '2.4.0' }],
  [B.DEPTHWISE_CONV_2D, { 1: '1.5.0', 2: '1.12.0', 3: '1.14.0', 4: '2.2.0', 6: '2.3.0' }],
  [B.FULLY_CONNECTED, { 1: '1.5.0', 3: '1.14.0', 4: '1.14.0' }],
  [B.MAX_POOL_2D, { 1: '1.5.0', 2: '1.14.0' }],
  [B.AVERAGE_POOL_2D, { 1: '1.5.0', 2: '1.14.0' }],
  [B.RESHAPE, { 1: '1.5.0' }],
  [B.SOFTMAX, { 1: '1.5.0', 2: '1.14.0' }],
  [B.ADD, { 1: '1.5.0', 2: '1.14.0' }],
  [B.CONCATENATION, { 1: '1.5.0', 2: '1.14.0' }],
  [B.PAD, { 1: '1.5.0', 2: '1.14.0' }],
  [B.QUANTIZE, { 1: '1.14.0' }],
  [B.DEQUANTIZE, { 1: '1.13.1', 2: '1.14.0' }],
]);

const compareVersions = (a: string, b: string): number => {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
};

/** The oldest runtime that runs all the given (op, version) pairs. */
export function minRuntimeVersion(ops: Iterable<{ readonly code: number; readonly version: number }>): string {
  let best = '1.5.0';
  for (const { code, version } of ops) {
    const v = MIN_RUNTIME.get(code)?.[version];
    if (v === undefined) throw new Error(`op-versions: no runtime version known for builtin op ${code} version ${version}`);
    if (compareVersions(v, best) > 0) best = v;
  }
  return best;
}

/** The tensor types of one op, as the version rules look at them. */
export interface OpTypes {
  readonly input: string;
  /** The weights' type (conv, depthwise, fully connected). */
  readonly weights?: string;
  readonly output: string;
  readonly perChannelWeights?: boolean;
  readonly dilated?: boolean;
}

const int8 = (t: OpTypes) => t.input === 'int8';
const hybrid = (t: OpTypes) => t.input === 'float32' && t.weights === 'int8' && t.output === 'float32';

/** The version a converter gives a builtin op with these tensor types (op_version.cc). */
export function writeVersion(code: number, t: OpTypes): number {
  switch (code) {
    case B.CONV_2D:
      if (int8(t)) return 3;
      if (hybrid(t)) return t.perChannelWeights ? 5 : 2;
      return 1;
    case B.DEPTHWISE_CONV_2D:
      if (hybrid(t)) return t.perChannelWeights ? 6 : 4;
      if (int8(t)) return 3;
      return t.dilated ? 2 : 1;
    case B.FULLY_CONNECTED:
      if (int8(t)) return 4;
      if (hybrid(t)) return 3;
      return 1;
    case B.MAX_POOL_2D:
    case B.AVERAGE_POOL_2D:
    case B.SOFTMAX:
    case B.ADD:
    case B.CONCATENATION:
    case B.PAD:
      return int8(t) ? 2 : 1;
    case B.DEQUANTIZE:
      return int8(t) ? 2 : 1;
    case B.QUANTIZE:
    case B.RESHAPE:
      return 1;
    default:
      throw new Error(`op-versions: no version rule for builtin op ${code}`);
  }
}
