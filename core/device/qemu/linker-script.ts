/**
 * The memory layout of a firmware: checks the sizes asked for and fills them into the board's
 * linker-script template, so that firmware too big for the device fails to link.
 */
import { badMemory } from './errors.js';

export interface FirmwareMemory {
  /** Flash (code, constants, initial values of .data), at 0x00000000. */
  readonly flashBytes: number;
  /** RAM (.data, .bss, stack, heap), at 0x20000000. */
  readonly ramBytes: number;
}

/** What the emulated mps2-an386 board maps at those addresses. */
export const BOARD_LIMITS: FirmwareMemory = { flashBytes: 4 * 1024 * 1024, ramBytes: 4 * 1024 * 1024 };

const MIN_REGION_BYTES = 1024;
const MIN_STACK_BYTES = 256;

/** The stack reservation, rounded up to the 8-byte alignment the AAPCS requires. */
export function stackReservation(stackBytes: number): number {
  return Math.ceil(stackBytes / 8) * 8;
}

export function checkMemory(memory: FirmwareMemory, stackBytes: number): void {
  for (const [name, value, limit] of [
    ['flashBytes', memory.flashBytes, BOARD_LIMITS.flashBytes],
    ['ramBytes', memory.ramBytes, BOARD_LIMITS.ramBytes],
  ] as const) {
    if (!Number.isInteger(value) || value < MIN_REGION_BYTES || value > limit) {
      throw badMemory(`${name} = ${value} is not a whole number of bytes from ${MIN_REGION_BYTES} to ${limit}.`);
    }
  }
  if (!Number.isInteger(stackBytes) || stackBytes < MIN_STACK_BYTES || stackReservation(stackBytes) >= memory.ramBytes) {
    throw badMemory(`stackBytes = ${stackBytes} is not a whole number of bytes from ${MIN_STACK_BYTES} up to less than the RAM (${memory.ramBytes}).`);
  }
}

/** The template with @FLASH_BYTES@, @RAM_BYTES@ and @STACK_BYTES@ filled in. */
export function renderLinkerScript(template: string, memory: FirmwareMemory, stackBytes: number): string {
  checkMemory(memory, stackBytes);
  const values: Record<string, number> = {
    FLASH_BYTES: memory.flashBytes,
    RAM_BYTES: memory.ramBytes,
    STACK_BYTES: stackReservation(stackBytes),
  };
  const text = template.replace(/@([A-Z_]+)@/g, (whole, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`linker-script template has an unknown placeholder ${whole}`);
    return String(v);
  });
  return text;
}
