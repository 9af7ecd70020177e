/**
 * The instant estimate of a profile subject on a device: cycles and milliseconds per block and in
 * total, RAM and flash, and whether it fits — from the cost tables, without compiling anything.
 */
import type { DeviceProfile } from '../profiles.js';
import type { BlockFigures, EstimatedLatency, FlashFigures, ProfileReport, RamFigures } from '../profile/report.js';
import { PROFILE_REPORT_VERSION } from '../profile/report.js';
import type { ProfileSubject } from '../profile/subject.js';
import { formatCount } from '../../util/format-numbers.js';
import { estimateAnomaly, estimateDsp } from './blocks.js';
import { CORE_FACTORS, M4F_TABLES, type Calibration } from './cost-model.js';
import { estimateFlash, estimateRam, inputBufferBytes } from './memory.js';
import { estimateNetwork } from './network.js';
import { sdkOptimizedFamilies } from './sdk-ops.js';

const msOf = (cycles: number, device: DeviceProfile): number => (cycles / device.clockHz) * 1000;

function latency(m4Cycles: number, intShare: number, calibrated: boolean, device: DeviceProfile): EstimatedLatency {
  const f = CORE_FACTORS[device.core];
  const cycles = Math.round(m4Cycles * (intShare * f.int + (1 - intShare) * f.float));
  return { cycles, ms: msOf(cycles, device), calibrated };
}

export function fitOf(ram: number, flash: number, device: DeviceProfile, basis: 'estimated' | 'measured'): ProfileReport['fit'] {
  return { basis, ramBytes: ram, flashBytes: flash, fitsRam: ram <= device.ramBytes, fitsFlash: flash <= device.flashBytes };
}

export function estimateProfile(subject: ProfileSubject, device: DeviceProfile, tables: Calibration = M4F_TABLES): ProfileReport {
  const notes: string[] = [];
  const uncalibrated: string[] = [];
  const blocks: BlockFigures[] = [];
  const spec = subject.sdk?.spec;
  const plan = subject.sdk?.generated.arena.plan;
  let pipelineCycles = 0;
  let weightBytesRead = 0;
  let calibratedAll = true;

  for (const d of subject.dsp) {
    const e = estimateDsp(d.block, d.params, d.input, tables);
    if (!e) {
      notes.push(`DSP block '${d.id}' (${d.block.type}) has no cost model (cost()): its cycles are not estimated.`);
      blocks.push({ id: d.id, kind: 'dsp', type: d.block.type });
      calibratedAll = false;
      continue;
    }
    if (!e.calibrated) uncalibrated.push(`DSP block type ${d.block.type}`);
    blocks.push({ id: d.id, kind: 'dsp', type: d.block.type, estimated: latency(e.cycles, 0, e.calibrated, device) });
  }
  subject.networks.forEach((n, i) => {
    const planned = i === 0 && plan && spec?.network?.model === n.model ? plan : undefined;
    const e = estimateNetwork(n.model, {
      ...(planned ? { order: planned.order, inPlace: (a: number, b: number) => planned.offsets.get(a) === planned.offsets.get(b), optimized: sdkOptimizedFamilies(spec!, subject.sdk!.generated) } : {}),
      floatFeatures: n.floatFeatures,
      tables,
    });
    for (const o of e.ops) if (!o.calibrated && !uncalibrated.includes(`op ${o.work.kind}`)) uncalibrated.push(`op ${o.work.kind}`);
    weightBytesRead += e.weightBytesRead;
    const f = CORE_FACTORS[device.core];
    const counts = new Map<string, number>();
    for (const o of e.ops) counts.set(o.work.kind, (counts.get(o.work.kind) ?? 0) + 1);
    blocks.push({
      id: n.id,
      kind: 'network',
      type: 'network',
      estimated: latency(e.cycles, e.intShare, e.calibrated, device),
      ops: [...e.byKind].map(([kind, cycles]) => ({ kind, ops: counts.get(kind) ?? 0, estimatedCycles: Math.round(cycles * (kind.includes('.s8') ? f.int : f.float)) })),
    });
  });
  for (const a of subject.anomalies) {
    const e = estimateAnomaly(a.type, a.params, a.features, tables);
    if (!e.calibrated) uncalibrated.push(`anomaly block type ${a.type}`);
    blocks.push({ id: a.id, kind: 'anomaly', type: a.type, estimated: latency(e.cycles, 0, e.calibrated, device) });
  }
  if (spec) {
    const p = tables.pipeline;
    pipelineCycles = p.perCall + (spec.input.kind === 'signal' ? p.perInput * spec.input.length + (spec.dsp.length > 0 ? p.perFeature * spec.featureCount : 0) : 0);
  }

  const f = CORE_FACTORS[device.core];
  const totalCycles = blocks.reduce((n, b) => n + (b.estimated?.cycles ?? 0), 0) + Math.round(pipelineCycles * f.float);
  const waitStateCycles = Math.round((device.flashWaitStates * weightBytesRead) / f.flashLineBytes);
  const total = {
    cycles: totalCycles,
    ms: msOf(totalCycles, device),
    calibrated: calibratedAll && uncalibrated.length === 0,
    waitStateCycles,
    msWithWaitStates: msOf(totalCycles + waitStateCycles, device),
  };

  let ram: RamFigures | undefined;
  let flash: FlashFigures | undefined;
  let inputBuffer = 0;
  if (subject.sdk) {
    ram = estimateRam(subject.sdk.spec, subject.sdk.generated, tables);
    flash = estimateFlash(subject.sdk.spec, subject.sdk.generated, sdkOptimizedFamilies(subject.sdk.spec, subject.sdk.generated).size, tables);
    inputBuffer = inputBufferBytes(subject.sdk.spec);
  } else if (subject.noSdk) {
    notes.push(`No C library can be generated (${subject.noSdk}): RAM and flash are not estimated.`);
  }

  if (uncalibrated.length > 0) notes.push(`Not calibrated on any measurement (default cost rows used): ${uncalibrated.join(', ')}.`);
  if (device.core !== 'cortex-m4f') notes.push(`Cycles for the ${device.core} are the Cortex-M4F tables × a per-core factor (int ×${f.int}, float ×${f.float}); only the Cortex-M4F is measured here.`);
  if (waitStateCycles > 0) notes.push(`With ${device.flashWaitStates} flash wait states, reading the weights from flash adds about ${formatCount(waitStateCycles)} cycles (estimated: ${device.flashWaitStates} cycles per ${f.flashLineBytes}-byte flash line read).`);
  if (subject.networks.length > 1 || subject.anomalies.length > 1) notes.push('RAM and flash are those of a library with the first network and the first anomaly block (one C library holds one of each).');

  const ramNeeded = (ram?.total ?? 0) + inputBuffer;
  return {
    version: PROFILE_REPORT_VERSION,
    subject: subject.name,
    subjectKind: subject.kind,
    device,
    blocks,
    total: { estimated: total },
    inputBufferBytes: inputBuffer,
    ram: ram ? { estimated: ram } : {},
    flash: flash ? { estimated: flash } : {},
    fit: fitOf(ramNeeded, flash?.total ?? 0, device, 'estimated'),
    notes,
  };
}
