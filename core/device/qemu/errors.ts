/** Typed errors of the Cortex-M firmware build and the QEMU measurement harness. */
import { ImpulseError } from '../../errors/impulse-error.js';

const INSTALL_HINT = 'Install the Cortex-M toolchain and QEMU: scripts/install-system-deps.sh (Debian/Ubuntu: gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi qemu-system-arm gcc).';

/** Longest compiler/QEMU output carried in a message: enough for the first errors, not a flood. */
const MAX_TOOL_OUTPUT = 4000;

export function clipToolOutput(text: string): string {
  const t = text.trim();
  return t.length <= MAX_TOOL_OUTPUT ? t : `${t.slice(0, MAX_TOOL_OUTPUT)}\n… (${t.length - MAX_TOOL_OUTPUT} more characters)`;
}

export function toolMissing(tool: string, purpose: string): ImpulseError {
  return new ImpulseError({
    code: 'E_FIRMWARE_TOOL_MISSING',
    message: `${tool} is not installed (or not on PATH); it is needed to ${purpose}.`,
    hint: INSTALL_HINT,
  });
}

export function compileFailed(what: string, compilerOutput: string): ImpulseError {
  return new ImpulseError({
    code: 'E_FIRMWARE_COMPILE',
    message: `${what}:\n${clipToolOutput(compilerOutput)}`,
    hint: 'Fix the C error the compiler reports (the sources are built with arm-none-eabi-gcc for a Cortex-M4F, C with newlib).',
  });
}

export interface RegionOverflow {
  /** Linker memory region: FLASH or RAM. */
  readonly region: string;
  /** Bytes the firmware needs beyond the region's size. */
  readonly overflowBytes: number;
  /** The region's size as given. */
  readonly sizeBytes: number;
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KB`;
}

export function firmwareTooBig(overflows: readonly RegionOverflow[], stackBytes: number): ImpulseError {
  const parts = overflows.map((o) => {
    const what = o.region === 'RAM' ? `RAM (static data + the ${stackBytes}-byte stack)` : o.region === 'FLASH' ? 'flash' : o.region;
    return `${what} by ${o.overflowBytes} bytes (needs ${o.sizeBytes + o.overflowBytes} of the ${o.sizeBytes} bytes = ${kb(o.sizeBytes)} given)`;
  });
  return new ImpulseError({
    code: 'E_FIRMWARE_TOO_BIG',
    message: `The firmware does not fit: it overflows ${parts.join(' and ')}.`,
    hint: 'Choose a device with more memory, or make the impulse smaller (fewer or smaller layers, int8 weights, a smaller DSP configuration).',
  });
}

export function badMemory(what: string): ImpulseError {
  return new ImpulseError({
    code: 'E_FIRMWARE_MEMORY',
    message: what,
    hint: 'Give flash and RAM sizes in bytes between 1 KB and 4 MB (the emulated mps2-an386 board has 4 MB of each), and a stack smaller than the RAM.',
  });
}

export function qemuTimeout(timeoutMs: number, stdoutTail: string): ImpulseError {
  const tail = stdoutTail.trim() ? `\nLast output:\n${clipToolOutput(stdoutTail.slice(-800))}` : '';
  return new ImpulseError({
    code: 'E_QEMU_TIMEOUT',
    message: `The firmware did not finish within ${timeoutMs} ms under QEMU and was stopped.${tail}`,
    hint: 'Look for an endless loop or a wait for input that never comes; if the work is simply long, raise timeoutMs.',
  });
}

export function qemuFault(what: string, hint: string): ImpulseError {
  return new ImpulseError({ code: 'E_QEMU_FAULT', message: what, hint });
}

/** `then` says what happened next (e.g. the fault it caused), when anything did. */
export function stackOverflow(stackBytes: number, then = ''): ImpulseError {
  return new ImpulseError({
    code: 'E_QEMU_STACK_OVERFLOW',
    message: `The firmware used all ${stackBytes} bytes of stack reserved for it: its stack overflowed into static data${then ? `, and then ${then}` : ', so its results cannot be trusted'}.`,
    hint: 'Give the build a larger stackBytes, or move large local arrays into static buffers.',
  });
}

export function probeProblem(what: string, hint: string): ImpulseError {
  return new ImpulseError({ code: 'E_QEMU_PROBE', message: what, hint });
}

export function pluginProblem(what: string, hint: string): ImpulseError {
  return new ImpulseError({ code: 'E_QEMU_PLUGIN', message: what, hint });
}
