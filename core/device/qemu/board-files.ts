/**
 * Where the harness's own files live (board support C, linker-script template, probe.h, the
 * plugin's C) and the names of the tools it runs. The C files sit beside this module in the
 * source tree; they are found from the package root so that the compiled dist/ finds them too.
 */
import path from 'node:path';
import { packageRoot } from '../../util/package-root.js';

/** Cortex-M4 with single-precision FPU, hard-float ABI (as the SDK targets it). */
export const CORTEX_M4F_FLAGS: readonly string[] = ['-mcpu=cortex-m4', '-mthumb', '-mfpu=fpv4-sp-d16', '-mfloat-abi=hard'];

export const TOOLS = {
  armGcc: 'arm-none-eabi-gcc',
  armNm: 'arm-none-eabi-nm',
  armSize: 'arm-none-eabi-size',
  qemu: 'qemu-system-arm',
  /** Builds the QEMU plugin (a host shared library). */
  hostCc: process.env['CC'] ?? 'gcc',
} as const;

/** core/device/qemu in the package: holds probe.h, board/ and plugin/. */
export function harnessDir(): string {
  return path.join(packageRoot(), 'core', 'device', 'qemu');
}

/** The folder to put on the include path for `#include "probe.h"`. */
export function probeIncludeDir(): string {
  return harnessDir();
}

/** Board support compiled into every firmware: reset/vector table/faults, and the probe markers. */
export function boardSources(): string[] {
  return ['startup.c', 'probe.c'].map((f) => path.join(harnessDir(), 'board', f));
}

export function linkerScriptTemplate(): string {
  return path.join(harnessDir(), 'board', 'mps2-an386.ld');
}

/** The plugin's C sources and headers, in a fixed order (their contents key the plugin cache). */
export function pluginFiles(): { sources: string[]; headers: string[] } {
  const dir = path.join(harnessDir(), 'plugin');
  return {
    sources: ['insn-count.c', 'thumb-classify.c'].map((f) => path.join(dir, f)),
    headers: ['qemu-plugin-api.h', 'thumb-classify.h'].map((f) => path.join(dir, f)),
  };
}
