/**
 * Flash and RAM of the impulse in a measurement firmware, from the linked ELF and its map:
 * the SDK's own code and constants, the network's weights, and the C-library members the SDK's
 * objects pulled in — apart from what the harness and the board add (main's stdio, start-up).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { firmwareSizes, type FirmwareSizes, type SectionSizes } from '../qemu/index.js';
import type { MeasurementFirmware } from './firmware.js';
import { parseArchiveMembers, rootObjects } from './libc-attribution.js';

export interface MeasuredFootprint {
  /** Bytes of flash. */
  readonly flash: {
    /** Machine code of the SDK (kernels, DSP and anomaly blocks, the pipeline). */
    readonly code: number;
    /** Constant tables of the SDK besides the network's (filter banks, names …) and initial values of its .data. */
    readonly constants: number;
    /** The network's constant data: weights, biases, requantization parameters, kernel params (rodata of <model>.c and <model>_weights.c). */
    readonly weights: number;
    /** libc, libm and libgcc members the SDK's objects pulled into the link. */
    readonly libc: number;
    /** code + constants + weights + libc. */
    readonly total: number;
  };
  /** Bytes of RAM. */
  readonly ram: {
    /** The SDK's one static arena (part of staticData). */
    readonly arena: number;
    /** The SDK's .data and .bss. */
    readonly staticData: number;
    /** Deepest stack of one impulse call, measured by stack painting. */
    readonly stackPeak: number;
    /** staticData + stackPeak. */
    readonly total: number;
  };
  /** The whole measurement firmware, harness included (for reference). */
  readonly firmware: { readonly flash: number; readonly ram: number };
  /** Libraries' members credited to the SDK. */
  readonly libcMembers: readonly string[];
  /** Per SDK source (path under src/): its code, constants (rodata + data) and the library bytes it pulled in first. */
  readonly bySource: readonly SourceFootprint[];
}

export interface SourceFootprint {
  readonly source: string;
  readonly code: number;
  readonly constants: number;
  readonly bss: number;
  readonly libc: number;
}

const sum = (s: SectionSizes | undefined): number => (s ? s.text + s.rodata + s.data + s.bss : 0);

/** The network's two C files (the SDK names them <model>.c and <model>_weights.c). */
function networkFiles(fw: MeasurementFirmware): RegExp {
  const name = fw.spec.network?.name;
  return name ? new RegExp(`[\\/]src[\\/]${name}(_weights)?\\.c$`) : /^$/;
}

export async function measureFootprint(fw: MeasurementFirmware, stackPeakBytes: number): Promise<MeasuredFootprint> {
  const src = path.join(fw.sdkDir, 'src') + path.sep;
  const sizes: FirmwareSizes = await firmwareSizes(fw.build.elf, fw.build.map, {
    objects: fw.build.objects,
    rules: [
      { group: 'weights', origin: networkFiles(fw), kinds: ['rodata'] },
      { group: 'impulse', origin: new RegExp(`^${src.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) },
      { group: 'harness', origin: /[\\/]harness[\\/]main\.c$/ },
    ],
  });
  const sourceOfObject = new Map(fw.build.objects.filter((o) => o.source.startsWith(src)).map((o) => [path.resolve(o.object), o.source.slice(src.length)]));
  const roots = rootObjects(parseArchiveMembers(await readFile(fw.build.map, 'utf8')));
  const members = new Set([...roots].filter(([, root]) => sourceOfObject.has(path.resolve(root))).map(([m]) => m));
  const libc = sizes.byObject.filter((o) => members.has(o.origin)).reduce((n, o) => n + o.text + o.rodata + o.data, 0);
  const bySource = new Map<string, { source: string; code: number; constants: number; bss: number; libc: number }>();
  for (const o of sizes.byObject) {
    if (o.origin.startsWith(src)) {
      const source = o.origin.slice(src.length);
      const e = bySource.get(source) ?? { source, code: 0, constants: 0, bss: 0, libc: 0 };
      e.code += o.text;
      e.constants += o.rodata + o.data;
      e.bss += o.bss;
      bySource.set(source, e);
    }
  }
  for (const o of sizes.byObject) {
    const root = roots.get(o.origin);
    const source = root === undefined ? undefined : sourceOfObject.get(path.resolve(root));
    if (source === undefined) continue;
    const e = bySource.get(source) ?? { source, code: 0, constants: 0, bss: 0, libc: 0 };
    e.libc += o.text + o.rodata + o.data;
    bySource.set(source, e);
  }
  const impulse = sizes.byGroup['impulse'];
  const code = impulse?.text ?? 0;
  const constants = (impulse?.rodata ?? 0) + (impulse?.data ?? 0);
  const weights = sum(sizes.byGroup['weights']);
  const staticData = (impulse?.data ?? 0) + (impulse?.bss ?? 0);
  return {
    flash: { code, constants, weights, libc, total: code + constants + weights + libc },
    ram: { arena: fw.sdk.report.arenaBytes, staticData, stackPeak: stackPeakBytes, total: staticData + stackPeakBytes },
    firmware: { flash: sizes.flash, ram: sizes.data + sizes.bss + sizes.stack },
    libcMembers: [...members].sort(),
    bySource: [...bySource.values()].sort((a, b) => a.source.localeCompare(b.source)),
  };
}
