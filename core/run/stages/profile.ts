/**
 * `profile`: latency, RAM and flash of the impulse on the device `device:` names — estimated from
 * the cost tables (instant), and with `measure: true` measured on an emulated Cortex-M4F over real
 * test windows (core/device). Writes profile.json (core/device/profile/report.ts). Its key holds
 * the resolved device profile, whether it measures and on how many windows, the blocks' params
 * and the cost tables, so changing any of them reruns it and nothing else.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { rowsOfSplit } from '../../artifact/concat.js';
import { readTensorSet, writeJson } from '../../artifact/io.js';
import { rowOf, type TensorSet } from '../../artifact/types.js';
import { resolveProfile, type DeviceUse } from '../../device/choose.js';
import { M4F_TABLES } from '../../device/estimate/cost-model.js';
import { estimateProfile } from '../../device/estimate/estimate.js';
import type { DeviceProfile } from '../../device/profiles.js';
import { measureProfile, type MeasureData } from '../../device/profile/measure.js';
import { PROFILE_FILE, type ProfileReport } from '../../device/profile/report.js';
import { describeSelection, spreadIndices } from '../../device/profile/select-windows.js';
import { subjectOfImpulse, type ProfileSubject } from '../../device/profile/subject.js';
import { ImpulseError } from '../../errors/impulse-error.js';
import type { StageNode } from '../../graph/build.js';
import type { StageContext } from '../../plugin/types.js';
import type { LoadedImpulse } from '../../spec/load.js';
import { canonicalJson, sha256 } from '../hash.js';
import type { KeyParts } from '../cache-key.js';
import type { RunEnv, StageResult, StageRunner } from '../stage-runner.js';
import { targetImpulseOf } from './deploy.js';

const VERSION = 1;
/** Test windows a measurement runs by default (spread over the test split). */
export const DEFAULT_MEASURE_WINDOWS = 50;

/** How to profile: the device (as the impulse or --device names it), whether to measure, on how many windows. */
export interface ProfileRequest {
  readonly use: DeviceUse;
  readonly windows: number;
}

export function requestOf(env: RunEnv): ProfileRequest {
  const use = env.impulse.spec.device!;
  return { use, windows: use.windows ?? DEFAULT_MEASURE_WINDOWS };
}

function profileOf(request: ProfileRequest, env: RunEnv): DeviceProfile {
  return resolveProfile(request.use, env.impulse.spec.devices);
}

/** The cost tables' identity: a recalibration reruns every estimate. */
const TABLES_HASH = sha256(canonicalJson(M4F_TABLES)).slice(0, 16);

export function profileKeyParts(node: StageNode, env: RunEnv, deps: ReadonlyMap<string, StageResult>, request: ProfileRequest): KeyParts {
  const { spec } = env.impulse;
  const measure = request.use.measure;
  const inputs: Record<string, string> = {};
  // The estimate reads the blocks and the models; a measurement also the windows and features.
  for (const d of node.deps) if (d.startsWith('learn:') || d.startsWith('quantize:') || (measure && (d === 'input' || d.startsWith('dsp:')))) inputs[d] = deps.get(d)!.outputHash;
  const dsp = Object.fromEntries(
    Object.entries(spec.dsp).map(([id, u]) => {
      const block = env.impulse.registry.block('dsp', u.type)!;
      return [id, { type: u.type, version: block.version, params: u.params, from: u.from }];
    }),
  );
  return {
    stage: node.id,
    kind: 'profile',
    block: { type: 'device-profile', version: VERSION },
    params: {
      device: profileOf(request, env),
      measure,
      ...(measure ? { windows: request.windows } : {}),
      input: spec.input,
      dsp,
      learn: Object.fromEntries(Object.entries(spec.learn).map(([id, u]) => [id, { type: u.type, params: u.params }])),
      costTables: TABLES_HASH,
    },
    inputs,
  };
}

/** Test windows (evenly spread) and the TS features of each in the SDK's layout. */
function measureData(subject: ProfileSubject, deps: ReadonlyMap<string, StageResult>, max: number): MeasureData {
  const windows = rowsOfSplit(readTensorSet(deps.get('input')!.dir), 'testing');
  if (windows.rows.length === 0) throw new ImpulseError({ code: 'E_DATA_NO_TEST', message: 'the test split is empty: there are no windows to measure on', hint: 'Raise data.split.test or add a testing/ folder.' });
  const chosen = spreadIndices(windows.rows.length, max);
  const spec = subject.sdk!.spec;
  const featureSets = new Map<string, TensorSet>(spec.dsp.map((d) => [d.id, rowsOfSplit(readTensorSet(deps.get(`dsp:${d.id}`)!.dir), 'testing')]));
  const features = spec.dsp.length === 0 ? undefined : chosen.map((i) => {
    const row = new Float32Array(spec.featureCount);
    for (const d of spec.dsp) row.set(rowOf(featureSets.get(d.id)!, i), d.offset);
    return row;
  });
  return {
    source: describeSelection(chosen.length, windows.rows.length),
    windows: chosen.map((i) => rowOf(windows, i).slice()),
    ...(features ? { features } : {}),
  };
}

/** The impulse with its trained models (from the cache) as a profile subject. */
export async function impulseSubject(impulse: Pick<LoadedImpulse, 'spec' | 'registry'>, deps: ReadonlyMap<string, StageResult>): Promise<ProfileSubject> {
  return subjectOfImpulse(await targetImpulseOf(impulse, Object.keys(impulse.spec.learn), deps));
}

/** The subject and up to `windows` of its test windows with their TS features (what a measurement runs). */
export async function impulseMeasureCase(impulse: Pick<LoadedImpulse, 'spec' | 'registry'>, deps: ReadonlyMap<string, StageResult>, windows: number): Promise<{ subject: ProfileSubject; data: MeasureData }> {
  const subject = await impulseSubject(impulse, deps);
  if (!subject.sdk) throw new ImpulseError({ code: 'E_DEVICE_MEASURE', message: `${impulse.spec.name} cannot be measured: ${subject.noSdk ?? 'no C library can be generated for it'}`, hint: 'Measurement builds the generated C library: every block needs a C implementation.' });
  return { subject, data: measureData(subject, deps, windows) };
}

/** Estimate (and measure, when asked) the impulse on the requested device. */
export async function profileImpulse(env: RunEnv, deps: ReadonlyMap<string, StageResult>, request: ProfileRequest, ctx: Pick<StageContext, 'log'>): Promise<ProfileReport> {
  const device = profileOf(request, env);
  if (!request.use.measure) return estimateProfile(await impulseSubject(env.impulse, deps), device);
  const { subject, data } = await impulseMeasureCase(env.impulse, deps, request.windows);
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'impulse-profile-'));
  try {
    ctx.log(`measuring on an emulated Cortex-M4F (QEMU mps2-an386) over ${data.source}`);
    return await measureProfile(subject, device, data, { workDir });
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

export const profileStage: StageRunner = {
  async keyParts(node, env, deps) {
    return profileKeyParts(node, env, deps, requestOf(env));
  },
  async run(node, env, deps, ctx) {
    const request = requestOf(env);
    let report: ProfileReport;
    try {
      report = await profileImpulse(env, deps, request, ctx);
    } catch (e) {
      // A measurement of what cannot fit is refused before compiling; the run keeps the estimate.
      if (!(e instanceof ImpulseError) || e.code !== 'E_DEVICE_DOES_NOT_FIT') throw e;
      ctx.log(e.message);
      const estimate = await profileImpulse(env, deps, { ...request, use: { ...request.use, measure: false } }, ctx);
      report = { ...estimate, notes: [...estimate.notes, `Not measured: ${e.message}`] };
    }
    await writeJson(ctx.outDir, PROFILE_FILE, report);
  },
};
