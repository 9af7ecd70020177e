/**
 * Comparing what the emulated core computed with a reference, value for value:
 * - the network's int8 outputs with the TS int8 interpreter's (the SDK dequantizes them into the
 *   scores as scale × (q − zero point); q is recovered exactly from that float);
 * - float outputs (scores and anomaly score of a whole impulse) with the same C built for the
 *   host, bit for bit.
 */
import { elementCount, type ModelIR } from '../../model/ir.js';
import { scaleOf, zeroPointOf } from '../../model/kernels/quant-params.js';

export interface OutputComparison {
  readonly compared: number;
  /** Calls whose outputs were all identical. */
  readonly identical: number;
  /** First differing call and value, for the message. */
  readonly firstDifference?: { readonly call: number; readonly index: number; readonly got: number; readonly want: number };
}

/** The network's int8 output values from the dequantized scores the SDK returns. */
export function int8FromScores(model: ModelIR, scores: Float32Array): Int8Array {
  const t = model.tensors[model.outputs[0]!]!;
  const scale = scaleOf(t);
  const zp = zeroPointOf(t);
  const n = elementCount(t.shape);
  return Int8Array.from(scores.subarray(0, n), (s) => zp + Math.round(s / scale));
}

export function compareValues(got: readonly ArrayLike<number>[], want: readonly ArrayLike<number>[]): OutputComparison {
  let identical = 0;
  let firstDifference: OutputComparison['firstDifference'];
  got.forEach((g, call) => {
    const w = want[call]!;
    let same = g.length === w.length;
    for (let i = 0; i < Math.min(g.length, w.length); i++) {
      if (!Object.is(g[i], w[i])) {
        same = false;
        firstDifference ??= { call, index: i, got: g[i]!, want: w[i]! };
        break;
      }
    }
    if (same) identical++;
  });
  return { compared: got.length, identical, ...(firstDifference ? { firstDifference } : {}) };
}

/** Float32 bit patterns of a buffer as unsigned integers, per call of `per` floats (NaN payloads compare too). */
export function floatBits(bytes: Uint8Array, per: number): Uint32Array[] {
  const all = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const out: Uint32Array[] = [];
  for (let i = 0; i + per <= all.length; i += per) out.push(all.slice(i, i + per));
  return out;
}

/** Largest |a − b| / max(|b|, 1e-6) over the calls (for float outputs allowed to differ in the last bits). */
export function maxRelativeDifference(got: readonly ArrayLike<number>[], want: readonly ArrayLike<number>[]): number {
  let worst = 0;
  got.forEach((g, call) => {
    const w = want[call]!;
    for (let i = 0; i < Math.min(g.length, w.length); i++) {
      const d = Math.abs(g[i]! - w[i]!) / Math.max(Math.abs(w[i]!), 1e-6);
      worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
    }
  });
  return worst;
}

/** Float32 values of a buffer, per call of `per` floats. */
export function floatRows(bytes: Uint8Array, per: number): Float32Array[] {
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const out: Float32Array[] = [];
  for (let i = 0; i + per <= all.length; i += per) out.push(all.slice(i, i + per));
  return out;
}
