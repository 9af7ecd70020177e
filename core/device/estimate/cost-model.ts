/**
 * The estimate's cost tables: cycles of each kind of work on a Cortex-M4F (zero wait states, the
 * SDK's portable C at -O2), fitted to instruction counts measured on the emulated core
 * (calibration.gen.ts, written by `npx tsx bench/device.ts --calibrate`), and the factors that
 * carry them to other cores.
 *
 *   network op   cycles = perCall + perMac·MACs + perLoop·(innermost-loop entries) + perOutput·outputs
 *                + perColumn·(im2col values); optimized (Armv7E-M) kernels have rows of their own
 *   DSP block    cycles = perCall + perMac·MACs + perFlop·flops + perInput·inputs + perOutput·outputs
 *                (MACs and flops: the block's own cost(); inputs and outputs: values in and out)
 *   anomaly      the same, with counts from the model's size
 *
 * A kind the calibration has not seen falls back to a default row and is marked uncalibrated.
 */
import type { CoreKind } from '../profiles.js';
import { CALIBRATION } from './calibration.gen.js';

export interface OpCost {
  readonly perCall: number;
  readonly perMac: number;
  readonly perLoop: number;
  readonly perOutput: number;
  /** Per value of a convolution's im2col columns (optimized convolutions copy them). */
  readonly perColumn: number;
}

export interface NetworkInputCost {
  readonly perCall: number;
  readonly perQuantized: number;
  readonly perCopiedByte: number;
}

export interface PipelineCost {
  readonly perCall: number;
  /** Per float of the input window (checked for NaN). */
  readonly perInput: number;
  /** Per feature (checked for NaN after the DSP blocks). */
  readonly perFeature: number;
}

export interface BlockCost {
  readonly perCall: number;
  readonly perMac: number;
  readonly perFlop: number;
  /** Per value of the block's input (window) and of its output (features). */
  readonly perInput: number;
  readonly perOutput: number;
}

/** How a fitted row did on the measurements it was fitted to. */
export interface FitQuality {
  readonly samples: number;
  /** Largest |estimate − measured| / measured over the samples. */
  readonly maxRelativeError: number;
  readonly meanRelativeError: number;
}

export interface Calibration {
  /** How and on what the rows were measured. */
  readonly source: string;
  readonly ops: Readonly<Record<string, OpCost & FitQuality>>;
  readonly dsp: Readonly<Record<string, BlockCost & FitQuality>>;
  readonly anomaly: Readonly<Record<string, BlockCost & FitQuality>>;
  /** Feeding the network its input: float features quantized (per element), or copied (per byte), and the invoke call. */
  readonly networkInput: NetworkInputCost & FitQuality;
  /** impulse_run around the blocks: the finiteness checks of the input and the features, the scores out. */
  readonly pipeline: PipelineCost & FitQuality;
  /** Stack: impulse_run's own frames, and the deepest of each kind of block (bytes). */
  readonly stack: { readonly run: number; readonly network: number; readonly anomaly: number; readonly dsp: Readonly<Record<string, number>> };
  /** Flash: bytes of each shared SDK source as compiled (path relative to the SDK's src/), and fitted rows for the generated files. */
  readonly code: {
    readonly files: Readonly<Record<string, { readonly code: number; readonly constants: number; readonly libc: number }>>;
    /** impulse.c: perCall + perBlock · blocks (code and constants). */
    readonly pipeline: { readonly base: number; readonly perBlock: number };
    /**
     * <model>.c: code base + perOp · ops + perOptimizedOp · ops on optimized kernels; its constants
     * (counted with the weights) are its arrays plus paramsPerOp · ops of kernel parameters.
     */
    readonly model: { readonly base: number; readonly perOp: number; readonly perOptimizedOp: number; readonly paramsPerOp: number };
    /** A DSP or anomaly instance file: base + its constant arrays. */
    readonly instance: { readonly base: number };
    /** libc every SDK pulls (memcpy, memset, rounding). */
    readonly libcBase: number;
    /** Bytes of machine code per character of C source, for sources the table does not know. */
    readonly bytesPerSourceChar: number;
  };
}

/** Used for op kinds the calibration has no measurement of: a data-movement-like cost. */
export const DEFAULT_OP_COST: OpCost = { perCall: 60, perMac: 10, perLoop: 30, perOutput: 15, perColumn: 0 };
/** Used for DSP blocks of a type the calibration has not seen (a plugin's). */
export const DEFAULT_BLOCK_COST: BlockCost = { perCall: 500, perMac: 3, perFlop: 60, perInput: 0, perOutput: 0 };

export const M4F_TABLES: Calibration = CALIBRATION;

/**
 * Cycles of other cores relative to the Cortex-M4F, for integer and floating-point work. Not
 * measured (only the M4F is emulated here); from the cores' documented pipelines:
 * - Cortex-M33: the same 3-stage pipeline, DSP extension and single-precision FPU as the M4F;
 * - Cortex-M7: dual-issue 6-stage pipeline with caches, about 1.6–2× the M4's work per clock;
 * - Cortex-M0+: no DSP or MAC instructions, no FPU (float is done in software, ~20–60 cycles per
 *   operation), 2-stage pipeline;
 * - host: a desktop core (superscalar, SIMD), roughly 4× the M4 per clock on this C.
 */
export const CORE_FACTORS: Readonly<Record<CoreKind, { readonly int: number; readonly float: number; readonly flashLineBytes: number }>> = {
  'cortex-m4f': { int: 1, float: 1, flashLineBytes: 16 },
  'cortex-m33': { int: 1, float: 1, flashLineBytes: 16 },
  'cortex-m7': { int: 0.55, float: 0.6, flashLineBytes: 32 },
  'cortex-m0plus': { int: 1.8, float: 12, flashLineBytes: 4 },
  host: { int: 0.25, float: 0.25, flashLineBytes: 64 },
};

export function opCost(kind: string, tables: Calibration = M4F_TABLES): { cost: OpCost; calibrated: boolean } {
  const row = tables.ops[kind];
  return row ? { cost: row, calibrated: true } : { cost: DEFAULT_OP_COST, calibrated: false };
}

/** `type` or `type/variant` (a row of its own where a block's modes cost differently for the same counts). */
export function dspCost(type: string, tables: Calibration = M4F_TABLES): { cost: BlockCost; calibrated: boolean } {
  const row = tables.dsp[type] ?? tables.dsp[type.split('/')[0]!];
  return row ? { cost: row, calibrated: true } : { cost: DEFAULT_BLOCK_COST, calibrated: false };
}

export function anomalyCost(type: string, tables: Calibration = M4F_TABLES): { cost: BlockCost; calibrated: boolean } {
  const row = tables.anomaly[type];
  return row ? { cost: row, calibrated: true } : { cost: DEFAULT_BLOCK_COST, calibrated: false };
}
