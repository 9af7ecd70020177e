/** The normalized impulse: every default applied, every `from` explicit. YAML and TS forms normalize to equal objects. */
import type { DeviceUse } from '../device/choose.js';
import type { DevicesSpec } from '../device/spec-schema.js';
import type { DataSpec, QuantizeSpec } from './schema.js';

export interface BlockUse {
  readonly type: string;
  readonly from: readonly string[];
  readonly params: Readonly<Record<string, unknown>>;
}

export interface LearnUse extends BlockUse {
  readonly quantize: QuantizeSpec;
}

export interface DeployUse {
  readonly target: string;
  readonly from: readonly string[];
  readonly params: Readonly<Record<string, unknown>>;
}

export interface NormalizedImpulse {
  readonly version: 1;
  readonly name: string;
  readonly description?: string;
  readonly seed: number;
  readonly plugins: readonly string[];
  readonly data: DataSpec;
  readonly input: { readonly type: string; readonly params: Readonly<Record<string, unknown>> };
  readonly dsp: Readonly<Record<string, BlockUse>>;
  readonly learn: Readonly<Record<string, LearnUse>>;
  /** The device profile the impulse is sized for (`device:`), and whether to measure it. */
  readonly device?: DeviceUse;
  /** Device profiles the impulse defines (`devices:`). */
  readonly devices?: DevicesSpec;
  readonly deploy: readonly DeployUse[];
}

/** The id the input block goes by in `from` lists. */
export const INPUT_REF = 'input';
