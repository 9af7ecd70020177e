/**
 * Device profiles: the microcontroller an impulse is sized for — its core (which picks the
 * per-core cost tables), clock, RAM, flash and flash wait states. Built-in profiles cover the
 * common classes of part; an impulse can define its own (`devices:`) or adjust one inline
 * (`device: { name: cortex-m4f-80mhz, ramKb: 128 }`).
 */

/** The cores the estimate has cost tables for. */
export const CORES = ['cortex-m0plus', 'cortex-m4f', 'cortex-m7', 'cortex-m33', 'host'] as const;
export type CoreKind = (typeof CORES)[number];

export interface DeviceProfile {
  /** The name `device:` and `--device` use, e.g. cortex-m4f-80mhz. */
  readonly name: string;
  /** What class of part it stands for. */
  readonly description: string;
  readonly core: CoreKind;
  readonly clockHz: number;
  readonly ramBytes: number;
  readonly flashBytes: number;
  /**
   * Wait states of a flash read at this clock. The cycle figures (estimated and measured) are for
   * zero wait states; the estimate adds what reading the weights from flash costs on top of it.
   */
  readonly flashWaitStates: number;
}

const KB = 1024;
const MHZ = 1_000_000;

function profile(name: string, core: CoreKind, mhz: number, ramKb: number, flashKb: number, flashWaitStates: number, description: string): DeviceProfile {
  return { name, description, core, clockHz: mhz * MHZ, ramBytes: ramKb * KB, flashBytes: flashKb * KB, flashWaitStates };
}

/**
 * Memory and wait states follow the datasheets of the parts named (the M4F ones sized as the
 * issue asks: 256 KB RAM, 1 MB flash, like an nRF52840 or an STM32L4 of that size).
 */
export const BUILTIN_PROFILES: readonly DeviceProfile[] = [
  profile('cortex-m4f-64mhz', 'cortex-m4f', 64, 256, 1024, 0, 'Cortex-M4F at 64 MHz, 256 KB RAM, 1 MB flash (nRF52840-class; flash cache, no wait states)'),
  profile('cortex-m4f-80mhz', 'cortex-m4f', 80, 256, 1024, 4, 'Cortex-M4F at 80 MHz, 256 KB RAM, 1 MB flash (STM32L4-class; 4 flash wait states behind the ART accelerator)'),
  profile('cortex-m4f-120mhz', 'cortex-m4f', 120, 256, 1024, 5, 'Cortex-M4F at 120 MHz, 256 KB RAM, 1 MB flash (STM32L4+-class; 5 flash wait states)'),
  profile('cortex-m7-216mhz', 'cortex-m7', 216, 320, 1024, 7, 'Cortex-M7 at 216 MHz, 320 KB RAM, 1 MB flash (STM32F7-class; 7 wait states, L1 caches)'),
  profile('cortex-m7-480mhz', 'cortex-m7', 480, 1024, 2048, 4, 'Cortex-M7 at 480 MHz, 1 MB RAM, 2 MB flash (STM32H7-class; 4 wait states, L1 caches)'),
  profile('cortex-m33-64mhz', 'cortex-m33', 64, 512, 1024, 0, 'Cortex-M33 at 64 MHz, 512 KB RAM, 1 MB flash (nRF5340-class application core)'),
  profile('cortex-m0plus-48mhz', 'cortex-m0plus', 48, 32, 256, 1, 'Cortex-M0+ at 48 MHz, 32 KB RAM, 256 KB flash (SAMD21-class; no FPU, no DSP instructions)'),
  profile('cortex-m0plus-133mhz', 'cortex-m0plus', 133, 264, 2048, 0, 'Cortex-M0+ at 133 MHz, 264 KB RAM, 2 MB external flash (RP2040-class; XIP cache)'),
  profile('host', 'host', 3000, 8 * 1024 * 1024, 8 * 1024 * 1024, 0, 'the development machine (a 64-bit desktop core at about 3 GHz); for comparison, not a target'),
];

/** The profile used when the impulse names none (`impulse profile` without --device). */
export const DEFAULT_PROFILE = 'cortex-m4f-80mhz';

export function builtinProfile(name: string): DeviceProfile | undefined {
  return BUILTIN_PROFILES.find((p) => p.name === name);
}

/** A profile as the impulse file writes it (MHz, KB). */
export interface DeviceProfileFields {
  readonly core?: CoreKind;
  readonly clockMhz?: number;
  readonly ramKb?: number;
  readonly flashKb?: number;
  readonly flashWaitStates?: number;
  readonly description?: string;
}
