/**
 * The measured profile: the subject's generated SDK built for the Cortex-M4F, run on the emulated
 * board over real inputs, its outputs checked against the references, and its instructions,
 * cycles, stack, flash and RAM read per block — beside the estimate, each figure labelled.
 *
 * A subject whose estimate does not fit the device is refused with the numbers before anything
 * is compiled (E_DEVICE_DOES_NOT_FIT).
 */
import { createRawRunner, quantizeInput } from '../../model/run-model.js';
import { type Calibration, M4F_TABLES } from '../estimate/cost-model.js';
import { estimateProfile, fitOf } from '../estimate/estimate.js';
import { cannotMeasure, doesNotFit, outputsDiffer } from '../errors.js';
import { measureFootprint, type MeasuredFootprint } from '../measure/footprint.js';
import { buildMeasurementFirmware, type MeasurementFirmware } from '../measure/firmware.js';
import { runOnHost } from '../measure/host-build.js';
import { runMeasurement, type MeasuredRun } from '../measure/run.js';
import type { DeviceProfile } from '../profiles.js';
import type { RegionMeasurement } from '../qemu/index.js';
import { compareValues, floatBits, floatRows, int8FromScores, maxRelativeDifference, type OutputComparison } from './check-outputs.js';

/** How far a float32 network's outputs on the emulated core may be from the host build's (relative). */
const FLOAT_NETWORK_TOLERANCE = 1e-5;
import { formatBytes } from '../../util/format-numbers.js';
import type { BlockFigures, MeasuredLatency, ProfileReport } from './report.js';
import type { ProfileSubject } from './subject.js';

export interface MeasureData {
  /** Where the inputs come from, for the report (e.g. "25 test windows of 1095"). */
  readonly source: string;
  /** An impulse's raw windows (impulse_run), or a bare float model's inputs. */
  readonly windows?: readonly Float32Array[];
  /** The TS features of the same windows in the SDK's layout (every DSP block's, side by side): the int8 network is checked on them. */
  readonly features?: readonly Float32Array[];
  /** A bare int8 model's inputs (impulse_run_quantized). */
  readonly quantized?: readonly Int8Array[];
}

export interface MeasureOptions {
  /** Working folder for the build (sources, objects, ELF, map). */
  readonly workDir: string;
  readonly tables?: Calibration;
  /** Regions inside the network: per op kind (default) or per op (calibration). */
  readonly opRegions?: 'kind' | 'op';
}

/** A measured profile with what it was measured from (for calibration). */
export interface DetailedMeasurement {
  readonly report: ProfileReport;
  readonly firmware: MeasurementFirmware;
  readonly run: MeasuredRun;
  readonly footprint: MeasuredFootprint;
}

/** Refuses, with the numbers, what the estimate says cannot fit (nothing compiled yet). */
export function assertFits(report: ProfileReport): void {
  const { fit, device } = report;
  if (fit.fitsRam && fit.fitsFlash) return;
  const parts: string[] = [];
  if (!fit.fitsFlash) parts.push(`flash: needs ${formatBytes(fit.flashBytes)} (${describeFlash(report)}), the device has ${formatBytes(device.flashBytes)}`);
  if (!fit.fitsRam) parts.push(`RAM: needs ${formatBytes(fit.ramBytes)} (${describeRam(report)}), the device has ${formatBytes(device.ramBytes)}`);
  throw doesNotFit(
    `${report.subject} does not fit ${device.name} (${fit.basis}): ${parts.join('; ')}. Nothing was compiled.`,
    'Choose a device with more memory (--device, or device: in the impulse), or make the impulse smaller: fewer or narrower layers, int8 weights, shorter windows or fewer DSP features.',
  );
}

function describeFlash(r: ProfileReport): string {
  const f = r.flash.estimated;
  return f ? `weights ${formatBytes(f.weights)}, code and constants ${formatBytes(f.code + f.constants)}, libc ${formatBytes(f.libc)}` : 'estimated';
}

function describeRam(r: ProfileReport): string {
  const m = r.ram.estimated;
  return m ? `arena ${formatBytes(m.arena)}, stack ${formatBytes(m.stack)}, input window ${formatBytes(r.inputBufferBytes)}` : 'estimated';
}

function perCall(m: RegionMeasurement, calls: number, device: DeviceProfile): MeasuredLatency {
  const cycles = m.cycles / calls;
  return { instructions: m.instructions / calls, cycles, ms: (cycles / device.clockHz) * 1000, stackBytes: m.stackPeakBytes };
}

function checkOrThrow(what: string, c: OutputComparison): string {
  if (c.identical !== c.compared) {
    const d = c.firstDifference!;
    throw outputsDiffer(`${what}: ${c.compared - c.identical} of ${c.compared} calls differ (first: call ${d.call + 1}, value ${d.index}: ${d.got} on the emulated core, ${d.want} expected).`);
  }
  return `${what}: identical on ${c.compared} of ${c.compared}`;
}

/** Output checks of the run; returns one sentence per check. */
async function checkOutputs(fw: MeasurementFirmware, run: MeasuredRun, data: MeasureData, subject: ProfileSubject): Promise<string[]> {
  const checks: string[] = [];
  const model = fw.spec.network?.model;
  if (run.mode === 'quantized') {
    const ts = createRawRunner(model!);
    checks.push(checkOrThrow('int8 outputs vs the TS int8 interpreter', compareValues(run.outputs, data.quantized!.map((q) => ts(q)))));
    return checks;
  }
  // The whole impulse, float in and out: the same C on the host, bit for bit.
  const host = await runOnHost(fw, 'signal', data.windows!);
  const per = run.outputs[0]!.length;
  const got = run.outputs.map((o) => new Uint32Array(o.buffer, o.byteOffset, o.length));
  const what = `${subject.kind === 'model' ? 'outputs' : fw.spec.anomaly ? (fw.spec.network ? 'scores and anomaly score' : 'anomaly score') : 'scores'} vs the same C built for the host`;
  const bits = compareValues(got, floatBits(host, per));
  if (fw.spec.network?.precision === 'float32' && bits.identical < bits.compared) {
    // A float32 network calls the C library's expf (softmax): newlib's and glibc's differ in the last bit.
    const worst = maxRelativeDifference(run.outputs as Float32Array[], floatRows(host, per));
    if (!(worst <= FLOAT_NETWORK_TOLERANCE)) checkOrThrow(`${what} (bit for bit)`, bits);
    checks.push(`${what}: identical on ${bits.identical} of ${bits.compared}, the others within ${worst.toExponential(1)} relative (float32 network: the C libraries' expf differ in the last bit)`);
  } else checks.push(checkOrThrow(`${what} (bit for bit)`, bits));
  // The int8 network on the TS features: against the TS int8 interpreter.
  if (model && data.features && model.tensors[model.inputs[0]!]!.dtype === 'int8' && model.tensors[model.outputs[0]!]!.dtype === 'int8') {
    const featuresRun = await runMeasurement(fw, { mode: 'features', rows: data.features });
    const net = fw.spec.network!;
    const ts = createRawRunner(model);
    const want = data.features.map((row) => {
      const learnRow = Float32Array.from(net.input.flatMap((s) => Array.from(row.subarray(s.offset, s.offset + s.length))));
      return ts(quantizeInput(model, learnRow));
    });
    checks.push(checkOrThrow('int8 network outputs on the TS features vs the TS int8 interpreter', compareValues(featuresRun.outputs.map((o) => int8FromScores(model, o as Float32Array)), want)));
  }
  return checks;
}

export async function measureProfile(subject: ProfileSubject, device: DeviceProfile, data: MeasureData, options: MeasureOptions): Promise<ProfileReport> {
  return (await measureDetailed(subject, device, data, options)).report;
}

export async function measureDetailed(subject: ProfileSubject, device: DeviceProfile, data: MeasureData, options: MeasureOptions): Promise<DetailedMeasurement> {
  const tables = options.tables ?? M4F_TABLES;
  const estimate = estimateProfile(subject, device, tables);
  if (device.core !== 'cortex-m4f') {
    throw cannotMeasure(`${device.name} is a ${device.core}: measurements run on an emulated Cortex-M4F only`, 'Measure with a cortex-m4f profile (e.g. --device cortex-m4f-80mhz); the estimate covers the other cores.');
  }
  if (!subject.sdk) throw cannotMeasure(`${subject.name} cannot be measured: ${subject.noSdk ?? 'no C library can be generated for it'}`, 'Measurement builds the generated C library: every block needs a C implementation.');
  assertFits(estimate);
  const { spec, generated } = subject.sdk;
  const fw = await buildMeasurementFirmware(spec, generated, { dir: options.workDir, opRegions: options.opRegions ?? 'kind' });
  const rows = fw.mode === 'quantized' ? data.quantized : data.windows;
  if (!rows || rows.length === 0) throw cannotMeasure(`no ${fw.mode === 'quantized' ? 'int8 inputs' : 'windows'} to measure ${subject.name} on`, 'Measure an impulse whose test split has windows.');
  const guess = ((estimate.total.estimated?.cycles ?? 1e7) / 1.2) * rows.length * 2;
  const run =
    fw.mode === 'quantized'
      ? await runMeasurement(fw, { mode: 'quantized', rows: data.quantized! }, { instructionsGuess: guess })
      : await runMeasurement(fw, { mode: 'signal', rows: data.windows! }, { instructionsGuess: guess });
  const checks = await checkOutputs(fw, run, data, subject);
  const calls = run.count;

  const blocks: BlockFigures[] = estimate.blocks.map((b) => {
    const region = run.blocks.get(b.id);
    if (!region || region.entries === 0) return b;
    const measured = perCall(region, calls, device);
    if (b.kind !== 'network') return { ...b, measured };
    const ops = (b.ops ?? []).map((o) => {
      const regions = fw.opRegions.filter((r) => r.kind === o.kind).map((r) => run.ops.get(r.name)).filter((m): m is RegionMeasurement => m !== undefined);
      if (regions.length === 0) return o;
      return { ...o, measured: { instructions: regions.reduce((n, m) => n + m.instructions, 0) / calls, cycles: regions.reduce((n, m) => n + m.cycles, 0) / calls } };
    });
    return { ...b, measured, ops };
  });
  const total = perCall(run.run, calls, device);
  const footprint = await measureFootprint(fw, run.run.stackPeakBytes);
  const ram = { arena: footprint.ram.arena, staticData: footprint.ram.staticData, stack: footprint.ram.stackPeak, total: footprint.ram.total };
  const flash = { ...footprint.flash };
  const report: ProfileReport = {
    ...estimate,
    blocks,
    total: { ...estimate.total, measured: { instructions: total.instructions, cycles: total.cycles, ms: total.ms } },
    ram: { ...estimate.ram, measured: ram },
    flash: { ...estimate.flash, measured: flash },
    fit: fitOf(ram.total + estimate.inputBufferBytes, flash.total, device, 'measured'),
    measurement: { windows: calls, source: data.source, outputCheck: checks.join('; '), qemuMs: Math.round(run.wallMs) },
  };
  return { report, firmware: fw, run, footprint };
}
