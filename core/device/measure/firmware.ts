/**
 * A generated SDK as measurement firmware for the emulated Cortex-M4F: the SDK's sources (with
 * the per-block hooks mapped to probes, and per-op-kind probes inside the network), the
 * harness's main, built with the SDK's own flags (C99, -O2, no FP contraction: the same
 * arithmetic as the host build) plus the Cortex-M4F ones.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { GeneratedSdk } from '../../../generators/cpp/sdk/generate.js';
import type { SdkSpec } from '../../../generators/cpp/sdk/spec.js';
import { BOARD_LIMITS, buildFirmware, type FirmwareBuild } from '../qemu/index.js';
import { opWork } from '../estimate/op-work.js';
import { sdkOptimizedFamilies } from '../estimate/sdk-ops.js';
import { hasQuantizedEntry, MEASURE_HEADER, measurementMain } from './harness-c.js';
import { instrumentOps } from './instrument.js';
import { blockProbes, opRegions, type BlockProbe, type OpRegion } from './probes.js';

/** Stack reserved for the measured program (its peak is measured; the estimate's bound is separate). */
export const MEASURE_STACK_BYTES = 64 * 1024;

export interface MeasurementFirmware {
  readonly spec: SdkSpec;
  readonly sdk: GeneratedSdk;
  readonly build: FirmwareBuild;
  readonly blocks: readonly BlockProbe[];
  /** Regions inside the network (empty without them). */
  readonly opRegions: readonly OpRegion[];
  /** The op kind of each op of the network, by op index. */
  readonly opKinds: ReadonlyMap<number, string>;
  /** How main feeds the impulse: raw windows, or int8 inputs for a bare int8 model. */
  readonly mode: 'signal' | 'quantized';
  /** Folder of the SDK sources as built. */
  readonly sdkDir: string;
}

/** The op kind of each op of the network, in the generated order (a reshape planned in place does nothing). */
function opKinds(spec: SdkSpec, sdk: GeneratedSdk): Map<number, string> {
  const kinds = new Map<number, string>();
  const net = spec.network;
  const plan = sdk.arena.plan;
  if (!net || !plan) return kinds;
  const optimized = sdkOptimizedFamilies(spec, sdk);
  for (const index of plan.order) {
    const op = net.model.ops[index]!;
    const inPlace = op.op === 'reshape' && plan.offsets.get(op.inputs[0]!) === plan.offsets.get(op.outputs[0]!);
    kinds.set(index, opWork(net.model, op, inPlace, optimized.get(index)).kind);
  }
  return kinds;
}

export interface BuildMeasurementOptions {
  /** Working folder (created; its previous content replaced). */
  readonly dir: string;
  /** Regions inside the network: per op kind (default), per op (calibration; per kind when too many ops), or none. */
  readonly opRegions?: 'kind' | 'op' | 'none';
}

export async function buildMeasurementFirmware(spec: SdkSpec, sdk: GeneratedSdk, options: BuildMeasurementOptions): Promise<MeasurementFirmware> {
  const dir = path.resolve(options.dir);
  await rm(dir, { recursive: true, force: true });
  const sdkDir = path.join(dir, 'sdk');
  const files = new Map(sdk.files);
  files.set('src/impulse_measure.h', MEASURE_HEADER);

  const kinds = opKinds(spec, sdk);
  let regions: OpRegion[] = [];
  const by = options.opRegions ?? 'kind';
  if (by !== 'none' && spec.network) {
    const planned = opRegions(spec, kinds, by);
    const file = `src/${spec.network.name}.c`;
    const source = files.get(file);
    const probeOf = new Map(planned?.flatMap((r) => r.ops.map((i) => [i, r.probe] as const)));
    const instrumented = planned && typeof source === 'string' ? instrumentOps(source, `${spec.network.name}_invoke`, (i) => probeOf.get(i)) : undefined;
    if (instrumented && planned) {
      files.set(file, instrumented);
      regions = planned;
    }
  }
  for (const [rel, content] of files) {
    const abs = path.join(sdkDir, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, content);
  }
  const main = path.join(dir, 'harness', 'main.c');
  await mkdir(path.dirname(main), { recursive: true });
  await writeFile(main, measurementMain(spec));

  const sources = [...files.keys()].filter((f) => f.startsWith('src/') && f.endsWith('.c')).sort().map((f) => path.join(sdkDir, f));
  const build = await buildFirmware({
    sources: [...sources, main],
    includeDirs: [path.join(sdkDir, 'src')],
    defines: { IMPULSE_MEASURE: 1 },
    cflags: ['-std=c99', '-ffp-contract=off'],
    // The fit against the device is checked on the measured figures; the harness (stdio, its
    // buffers) must not be what fails to link, so the board's whole memory is given.
    memory: BOARD_LIMITS,
    stackBytes: MEASURE_STACK_BYTES,
    outDir: path.join(dir, 'build'),
  });
  return { spec, sdk, build, blocks: blockProbes(spec), opRegions: regions, opKinds: kinds, mode: hasQuantizedEntry(spec) ? 'quantized' : 'signal', sdkDir };
}
