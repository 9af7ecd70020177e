/**
 * `impulse profile [impulse | model.tflite] [--device NAME] [--measure] [--windows N] [--json]`:
 * latency, RAM and flash per block on a device — estimated (instant), and measured on an
 * emulated Cortex-M4F with --measure. For an impulse the trained models are read from the cache
 * and the result is cached like the profile stage (same key: the device, whether measured, on
 * how many windows); for a bare .tflite model nothing is written.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readJson, writeJson } from '../../core/artifact/io.js';
import { normalizeDevice, resolveProfile, type DeviceUse } from '../../core/device/choose.js';
import { estimateProfile } from '../../core/device/estimate/estimate.js';
import { randomModelInputs } from '../../core/device/profile/model-inputs.js';
import { measureProfile } from '../../core/device/profile/measure.js';
import { PROFILE_FILE, type ProfileReport } from '../../core/device/profile/report.js';
import { subjectOfModel } from '../../core/device/profile/subject.js';
import { DEFAULT_PROFILE } from '../../core/device/profiles.js';
import { ImpulseError } from '../../core/errors/impulse-error.js';
import { buildStageGraph, type StageNode } from '../../core/graph/build.js';
import { readTflite } from '../../core/model/tflite/read.js';
import { computeCacheKey } from '../../core/run/cache-key.js';
import { stateDirOf } from '../../core/run/executor.js';
import { loadTrained } from '../../core/run/inference.js';
import { DEFAULT_MEASURE_WINDOWS, profileImpulse, profileKeyParts, type ProfileRequest } from '../../core/run/stages/profile.js';
import { inspectStages } from '../../core/run/status.js';
import { CacheStore } from '../../core/run/store.js';
import { displayPath } from '../../core/spec/load.js';
import { loadForCli, printJson } from '../load.js';
import { formatProfile } from '../view/profile-table.js';

export interface ProfileCliOptions {
  device?: string;
  measure?: boolean;
  windows?: number;
  json?: boolean;
}

function print(report: ProfileReport, opts: ProfileCliOptions): void {
  if (opts.json) printJson(report);
  else process.stdout.write(formatProfile(report));
}

export async function profileCommand(target: string, opts: ProfileCliOptions): Promise<void> {
  if (/\.tflite$/i.test(target)) return profileModelFile(target, opts);
  const impulse = await loadForCli(target);
  const own = impulse.spec.device;
  const use: DeviceUse = opts.device !== undefined
    ? { ...(own && own.name === opts.device ? own : normalizeDevice(opts.device)!), measure: opts.measure ?? false }
    : { ...(own ?? normalizeDevice(DEFAULT_PROFILE)!), measure: opts.measure ?? own?.measure ?? false };
  resolveProfile(use, impulse.spec.devices); // an unknown --device is a user error before anything is read
  const request: ProfileRequest = { use, windows: opts.windows ?? use.windows ?? DEFAULT_MEASURE_WINDOWS };

  await loadTrained(impulse); // E_CLI_NOT_TRAINED when the models are not cached for the impulse as it is
  const { known, env } = await inspectStages(impulse, { persist: true });
  const graph = buildStageGraph(impulse.spec, impulse.registry, impulse.source);
  const node: StageNode = graph.hasNode('profile')
    ? graph.getNodeAttributes('profile')
    : { id: 'profile', kind: 'profile', output: 'metrics', deps: graph.nodes().filter((id) => id === 'input' || /^(dsp|learn|quantize):/.test(id)) };
  const needed = node.deps.filter((d) => d.startsWith('learn:') || d.startsWith('quantize:') || (use.measure && (d === 'input' || d.startsWith('dsp:'))));
  const missing = needed.filter((d) => !known.has(d));
  if (missing.length > 0) {
    throw new ImpulseError({
      code: 'E_CLI_NOT_TRAINED',
      message: `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not cached for the impulse as it is now`,
      hint: `Run \`impulse run${path.resolve(impulse.dir) === process.cwd() ? '' : ` ${displayPath(impulse.file)}`}\` first.`,
    });
  }
  const parts = profileKeyParts(node, env, known, request);
  const key = computeCacheKey(parts);
  const store = new CacheStore(stateDirOf(impulse));
  const found = await store.lookup(key);
  if (found.status === 'hit') {
    print(readJson<ProfileReport>(found.entry.dir, PROFILE_FILE), opts);
    return;
  }
  const t0 = Date.now();
  const report = await profileImpulse(env, known, request, { log: (m) => (opts.json ? undefined : process.stderr.write(`${m}\n`)) });
  const tmp = await store.begin(key);
  try {
    await writeJson(path.join(tmp, 'out'), PROFILE_FILE, report);
    await store.commit(tmp, key, parts, Date.now() - t0);
  } catch (e) {
    store.abort(tmp);
    throw e;
  }
  print(report, opts);
}

async function profileModelFile(file: string, opts: ProfileCliOptions): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (e) {
    throw new ImpulseError({ code: 'E_CLI_NOT_FOUND', message: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, hint: 'Give the path of a .tflite model.', location: { file } });
  }
  const model = readTflite(bytes, displayPath(path.resolve(file)));
  const name = path.basename(file).replace(/\.tflite$/i, '');
  const device = resolveProfile(normalizeDevice(opts.device ?? DEFAULT_PROFILE)!);
  const subject = subjectOfModel(model, name);
  if (!opts.measure) return print(estimateProfile(subject, device), opts);
  const count = opts.windows ?? 10;
  const inputs = randomModelInputs(model, count);
  const workDir = await mkdtemp(path.join(os.tmpdir(), 'impulse-profile-'));
  try {
    const report = await measureProfile(subject, device, { source: `${count} seeded random inputs over the input type's range (a bare model has no data)`, ...inputs }, { workDir });
    print(report, opts);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
