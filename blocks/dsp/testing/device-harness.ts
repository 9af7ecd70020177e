/**
 * Runs the blocks' C on an emulated Cortex-M4F (QEMU mps2-an386, through core/device/qemu): the
 * instances of a `programFiles` set are built into one firmware (arm-none-eabi-gcc -O2 with the SDK's
 * -std=c99 -ffp-contract=off, newlib), whose driver reads windows from input.bin, runs one instance on
 * each (counting its instructions in probe region 0) and writes the outputs to output.bin.
 *
 *   const device = await buildDeviceProgram(instances);          // once
 *   const { outputs, instructionsPerWindow } = await device.run(i, windows);
 *   device.cleanup();
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildFirmware, runOnQemu, type FirmwareBuild } from '../../../core/device/qemu/index.js';
import { floatsToBuffer } from '../../../test/support/compile-c.js';
import { programFiles, type DspInstance } from './c-harness.js';

/** Region id of the instance call. */
const REGION = 0;

/** main.c of the firmware: `firmware <instance> <windows>`; input.bin → output.bin. */
function deviceDriver(instances: readonly DspInstance[]): string {
  const max = (f: (i: DspInstance) => number): number => Math.max(1, ...instances.map(f));
  return `/* Device test driver: windows from input.bin through one instance into output.bin. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "probe.h"

${instances.map((i) => `int ${i.fn}(const float *input, float *output, float *scratch);`).join('\n')}

typedef int (*dsp_fn)(const float *input, float *output, float *scratch);

typedef struct {
    dsp_fn fn;
    uint32_t input;
    uint32_t output;
} instance;

static const instance INSTANCES[] = {
${instances.map((i) => `    { ${i.fn}, ${i.inputFloats}u, ${i.outputFloats}u },`).join('\n')}
};

static float input[${max((i) => i.inputFloats)}];
static float output[${max((i) => i.outputFloats)}];
static float scratch[${max((i) => i.code.scratchFloats)}];

int main(int argc, char **argv)
{
    const instance *in;
    FILE *src, *dst;
    long windows, w;
    if (argc < 3) {
        return 2;
    }
    in = &INSTANCES[atoi(argv[1])];
    windows = atol(argv[2]);
    src = fopen("input.bin", "rb");
    dst = fopen("output.bin", "wb");
    if (src == NULL || dst == NULL) {
        return 3;
    }
    for (w = 0; w < windows; w++) {
        int rc;
        if (fread(input, sizeof(float), in->input, src) != in->input) {
            return 4;
        }
        IMPULSE_PROBE_BEGIN(${REGION});
        rc = in->fn(input, output, scratch);
        IMPULSE_PROBE_END(${REGION});
        if (rc != 0 || fwrite(output, sizeof(float), in->output, dst) != in->output) {
            return 5;
        }
    }
    fclose(src);
    fclose(dst);
    return 0;
}
`;
}

export interface DeviceRun {
  /** Outputs of every window, back to back. */
  readonly outputs: Float32Array;
  /** Instructions executed per call of the instance (measured, exact). */
  readonly instructionsPerWindow: number;
}

export interface DeviceProgram {
  readonly firmware: FirmwareBuild;
  run(index: number, windows: readonly Float32Array[]): Promise<DeviceRun>;
  cleanup(): void;
}

export async function buildDeviceProgram(instances: readonly DspInstance[]): Promise<DeviceProgram> {
  const dir = mkdtempSync(path.join(tmpdir(), 'impulse-dsp-device-'));
  try {
    const files = programFiles(instances, deviceDriver(instances));
    for (const [rel, text] of files) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    }
    const ram = 4 * instances.reduce((a, i) => Math.max(a, i.inputFloats) , 0) + 4 * instances.reduce((a, i) => Math.max(a, i.outputFloats + i.code.scratchFloats), 0);
    const firmware = await buildFirmware({
      sources: [...files.keys()].filter((f) => f.endsWith('.c')).map((f) => path.join(dir, f)),
      includeDirs: [path.join(dir, 'blocks')],
      cflags: ['-std=c99', '-ffp-contract=off'],
      memory: { flashBytes: 2 * 1024 * 1024, ramBytes: Math.max(256 * 1024, 2 * ram + 128 * 1024) },
      stackBytes: 16 * 1024,
      outDir: path.join(dir, 'build'),
    });
    return {
      firmware,
      async run(index, windows) {
        const inst = instances[index];
        if (!inst) throw new Error(`no instance ${index}`);
        const cwd = path.join(dir, `run-${index}`);
        rmSync(cwd, { recursive: true, force: true });
        mkdirSync(cwd, { recursive: true });
        const stdin = new Float32Array(windows.length * inst.inputFloats);
        windows.forEach((w, i) => stdin.set(w, i * inst.inputFloats));
        const r = await runOnQemu(firmware.elf, {
          regions: { dsp: REGION },
          args: [String(index), String(windows.length)],
          inputs: { 'input.bin': floatsToBuffer(stdin) },
          cwd,
          timeoutMs: 300_000,
        });
        if (r.exitCode !== 0) throw new Error(`${inst.fn} on QEMU: exit ${r.exitCode}\n${r.stderr}`);
        const bytes = readFileSync(path.join(cwd, 'output.bin'));
        const outputs = new Float32Array(bytes.byteLength / 4);
        new Uint8Array(outputs.buffer).set(bytes);
        const region = r.regions['dsp'];
        return { outputs, instructionsPerWindow: region ? region.instructions / Math.max(1, region.entries) : 0 };
      },
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
