/**
 * Estimated RAM and flash of a generated SDK, before anything is compiled:
 * - RAM: the arena exactly as the generator plans it, the SDK's few other statics, and a stack
 *   bound (impulse_run's frames plus the deepest block's, from the calibration's measured peaks);
 * - flash: the weights exactly, each shared source by its compiled size as measured (a size per
 *   character of C for sources the table does not know), the generated files by fitted rows, and
 *   the C-library members the SDK needs.
 */
import type { GeneratedSdk } from '../../../generators/cpp/sdk/generate.js';
import type { SdkSpec } from '../../../generators/cpp/sdk/spec.js';
import { elementCount, type ModelIR } from '../../model/ir.js';
import { M4F_TABLES, type Calibration } from './cost-model.js';

/** Statics of impulse.c besides the arena (the initialized flag, the clock pointer). */
export const PIPELINE_STATICS = 8;
const DEFAULT_DSP_STACK = 256;

export interface RamEstimate {
  readonly arena: number;
  readonly staticData: number;
  readonly stack: number;
  /** staticData + stack (the arena is part of staticData). */
  readonly total: number;
}

export interface FlashEstimate {
  readonly code: number;
  /** Constants besides the network's: the blocks' tables, names, kernels' tables. */
  readonly constants: number;
  /** The network's constant data: weights, biases, requantization parameters and kernel params. */
  readonly weights: number;
  readonly libc: number;
  readonly total: number;
}

export function estimateRam(spec: SdkSpec, sdk: GeneratedSdk, tables: Calibration = M4F_TABLES): RamEstimate {
  const arena = sdk.report.arenaBytes;
  const s = tables.stack;
  const deepest = Math.max(0, ...spec.dsp.map((d) => s.dsp[d.type] ?? DEFAULT_DSP_STACK), spec.network ? s.network : 0, spec.anomaly ? s.anomaly : 0);
  const stack = s.run + deepest;
  const staticData = arena + PIPELINE_STATICS;
  return { arena, staticData, stack, total: staticData + stack };
}

/** The label, axis and DSP block names impulse.c holds: the strings and a pointer to each. */
export function namesBytes(spec: SdkSpec): number {
  const names = [...spec.labels, ...(spec.input.axes ?? []), ...spec.dsp.map((d) => d.id)];
  return names.reduce((n, s) => n + Buffer.byteLength(s) + 1 + 4, 0);
}

/**
 * Bytes of the constant arrays a generated C file defines (`const int8_t name[N] = {…}` and the
 * like): the weights, the rearranged weights and requantization tables of optimized kernels, the
 * per-channel multipliers, the blocks' tables. Exact, from the generated text.
 */
export function constantArrayBytes(source: string): number {
  const sizes: Record<string, number> = { int8_t: 1, uint8_t: 1, int16_t: 2, uint16_t: 2, int32_t: 4, uint32_t: 4, float: 4 };
  let bytes = 0;
  for (const m of source.matchAll(/\bconst\s+(int8_t|uint8_t|int16_t|uint16_t|int32_t|uint32_t|float)\s+\w+\s*\[(\d+)\]\s*=/g)) bytes += sizes[m[1]!]! * Number(m[2]);
  return bytes;
}

/** Flash of the SDK's sources, before compiling: see the file comment. `optimizedOps`: network ops on optimized kernels. */
export function estimateFlash(spec: SdkSpec, sdk: GeneratedSdk, optimizedOps: number, tables: Calibration = M4F_TABLES): FlashEstimate {
  const c = tables.code;
  let code = 0;
  let constants = 0;
  let libc = c.libcBase;
  let weights = 0;
  const net = spec.network;
  for (const [file, content] of sdk.files) {
    if (!file.startsWith('src/') || !file.endsWith('.c')) continue;
    const rel = file.slice('src/'.length);
    const known = c.files[rel];
    if (known) {
      code += known.code;
      constants += known.constants;
      libc += known.libc;
    } else if (rel === 'impulse.c') {
      code += c.pipeline.base + c.pipeline.perBlock * (spec.dsp.length + (net ? 1 : 0) + (spec.anomaly ? 1 : 0));
      constants += namesBytes(spec);
    } else if (net && rel === `${net.name}.c`) {
      code += c.model.base + c.model.perOp * net.model.ops.length + c.model.perOptimizedOp * optimizedOps;
      weights += constantArrayBytes(String(content)) + c.model.paramsPerOp * net.model.ops.length;
    } else if (net && rel === `${net.name}_weights.c`) {
      weights += constantArrayBytes(String(content));
    } else if (rel.startsWith('blocks/') && /^blocks\/(dsp|anomaly)_[^/]+\.c$/.test(rel)) {
      code += c.instance.base;
      constants += constantArrayBytes(String(content));
    } else {
      code += Math.round(String(content).length * c.bytesPerSourceChar);
    }
  }
  return { code, constants, weights, libc, total: code + constants + weights + libc };
}

/** The bytes a caller holds to call impulse_run: one window of floats (or the model input, for a bare model). */
export function inputBufferBytes(spec: SdkSpec): number {
  const net = spec.network;
  if (spec.input.kind === 'features' && net && net.precision === 'int8') return elementCount(net.model.tensors[net.model.inputs[0]!]!.shape);
  return spec.input.length * 4;
}
