/**
 * What a profile says about an impulse (or a bare model) on one device: per block and in total,
 * latency, RAM and flash — each figure estimated, and measured when a measurement ran. This is
 * the profile stage's stored output (profile.json) and `impulse profile --json`'s.
 */
import type { DeviceProfile } from '../profiles.js';

export const PROFILE_REPORT_VERSION = 1;

/** The profile stage's output file. */
export const PROFILE_FILE = 'profile.json';

export interface EstimatedLatency {
  /** Cortex-M4F-equivalent cycles × the core's factor, zero flash wait states. */
  readonly cycles: number;
  /** cycles / the profile's clock. */
  readonly ms: number;
  /** Whether every part of it had a calibrated cost row (else a default row was used). */
  readonly calibrated: boolean;
}

export interface MeasuredLatency {
  /** Instructions executed per call (mean over the windows measured); exact. */
  readonly instructions: number;
  /** Cortex-M4 cycles per call from the instruction classes (zero wait states); estimated from measured counts. */
  readonly cycles: number;
  /** cycles / the profile's clock. */
  readonly ms: number;
  /** Deepest stack the block used, bytes (stack painting). */
  readonly stackBytes: number;
}

export interface OpKindFigures {
  /** e.g. conv2d.s8 */
  readonly kind: string;
  readonly ops: number;
  readonly estimatedCycles: number;
  readonly measured?: { readonly instructions: number; readonly cycles: number };
}

export interface BlockFigures {
  readonly id: string;
  readonly kind: 'dsp' | 'network' | 'anomaly';
  /** DSP block type, learn block type. */
  readonly type: string;
  readonly estimated?: EstimatedLatency;
  readonly measured?: MeasuredLatency;
  /** Networks: cycles by op kind. */
  readonly ops?: readonly OpKindFigures[];
}

export interface RamFigures {
  readonly arena: number;
  /** The SDK's .data + .bss (the arena included). */
  readonly staticData: number;
  /** Stack: a bound (estimated) or the deepest measured. */
  readonly stack: number;
  /** staticData + stack. */
  readonly total: number;
}

export interface FlashFigures {
  readonly code: number;
  readonly constants: number;
  readonly weights: number;
  readonly libc: number;
  readonly total: number;
}

export interface FitFigures {
  /** Which figures the verdict is on. */
  readonly basis: 'estimated' | 'measured';
  /** RAM the impulse needs: the library's (static + stack) and the caller's input buffer. */
  readonly ramBytes: number;
  readonly flashBytes: number;
  readonly fitsRam: boolean;
  readonly fitsFlash: boolean;
}

export interface MeasurementInfo {
  /** Windows (or inputs) run on the emulated core. */
  readonly windows: number;
  /** Where they came from, e.g. "test split windows 1–25 of 1095". */
  readonly source: string;
  /** The outputs' comparison, e.g. "int8 outputs identical to the TS interpreter on 25 of 25 windows". */
  readonly outputCheck: string;
  /** Emulator host time for the measured run. */
  readonly qemuMs: number;
}

export interface ProfileReport {
  readonly version: typeof PROFILE_REPORT_VERSION;
  readonly subject: string;
  readonly subjectKind: 'impulse' | 'model';
  readonly device: DeviceProfile;
  readonly blocks: readonly BlockFigures[];
  readonly total: {
    readonly estimated?: EstimatedLatency & {
      /** Added when weights are read from flash with the profile's wait states (estimated). */
      readonly waitStateCycles: number;
      readonly msWithWaitStates: number;
    };
    readonly measured?: Omit<MeasuredLatency, 'stackBytes'>;
  };
  /** Bytes the caller holds to call the impulse (one input window), counted in the fit. */
  readonly inputBufferBytes: number;
  readonly ram: { readonly estimated?: RamFigures; readonly measured?: RamFigures };
  readonly flash: { readonly estimated?: FlashFigures; readonly measured?: FlashFigures };
  readonly fit: FitFigures;
  readonly measurement?: MeasurementInfo;
  /** What the reader should know (uncalibrated rows, blocks without C, other cores …). */
  readonly notes: readonly string[];
}
