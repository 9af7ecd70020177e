/**
 * Probe ids of a measurement firmware (probe.h allows 0–31). The generated impulse.c numbers its
 * blocks itself (IMPULSE_BLOCK_BEGIN(k): DSP blocks 0..n-1, then the network, then the anomaly
 * block); the harness maps those to the same probe ids and takes the ids above them for the
 * per-op-kind regions inside the network, and the top two for its own regions.
 */
import type { SdkSpec } from '../../../generators/cpp/sdk/spec.js';

/** One call of impulse_run (or impulse_run_features / impulse_run_quantized), in main. */
export const RUN_PROBE = 31;
/** impulse_run_quantized in main: the network of a bare int8 model fed int8 inputs. */
export const QUANTIZED_NETWORK_PROBE = 30;
const LAST_OP_PROBE = 29;

export interface BlockProbe {
  readonly id: string;
  readonly kind: 'dsp' | 'network' | 'anomaly';
  /** DSP block type, 'network', or the anomaly block's id. */
  readonly type: string;
  readonly probe: number;
}

/** The blocks in the order impulse.c numbers them. */
export function blockProbes(spec: SdkSpec): BlockProbe[] {
  const blocks: BlockProbe[] = spec.dsp.map((d, k) => ({ id: d.id, kind: 'dsp', type: d.type, probe: k }));
  if (spec.network) blocks.push({ id: spec.network.id, kind: 'network', type: 'network', probe: blocks.length });
  if (spec.anomaly) blocks.push({ id: spec.anomaly.id, kind: 'anomaly', type: spec.anomaly.fn, probe: blocks.length });
  return blocks;
}

/** A measurement region inside the network: one op, or every op of one kind. */
export interface OpRegion {
  /** `conv2d.s8` (per kind) or `op 3 conv2d.s8` (per op). */
  readonly name: string;
  readonly kind: string;
  readonly probe: number;
  /** Indices of the ops it covers. */
  readonly ops: readonly number[];
}

/**
 * Regions inside the network, after the block probes: one per op kind (`by: 'kind'`), or one per
 * op (`by: 'op'`, for calibration), which falls back to per kind when the ops outnumber the
 * probes. Ops whose kind does nothing (a reshape in place) get no region. Undefined when even the
 * kinds do not fit.
 */
export function opRegions(spec: SdkSpec, kinds: ReadonlyMap<number, string>, by: 'kind' | 'op'): OpRegion[] | undefined {
  const first = blockProbes(spec).length;
  const free = LAST_OP_PROBE - first + 1;
  const ops = [...kinds.entries()];
  if (by === 'op' && ops.length <= free) return ops.map(([index, kind], i) => ({ name: `op ${index} ${kind}`, kind, probe: first + i, ops: [index] }));
  const distinct = [...new Set(kinds.values())];
  if (distinct.length > free) return undefined;
  return distinct.map((kind, i) => ({ name: kind, kind, probe: first + i, ops: ops.filter(([, k]) => k === kind).map(([index]) => index) }));
}
