/** `data`: finds the samples (scan + content hashes), labels them and splits them. */
import path from 'node:path';
import { writeSamples } from '../../artifact/io.js';
import type { SampleIndex } from '../../artifact/types.js';
import { scanDataFolder, type ScannedFile } from '../../data/scan.js';
import { splitSamples } from '../../data/split.js';
import { DATASET_PREFIX, resolveDataFolder } from '../../spec/load.js';
import { outputHashOf } from '../store.js';
import type { RunEnv, StageRunner } from '../stage-runner.js';

const VERSION = 1;
export const DATA_ROOT_FACT = 'data.root';
const SCAN_FACT = 'data.scan';

async function resolveRoot(env: RunEnv, onProgress: (done: number, total: number, unit: string) => void): Promise<string> {
  const src = env.impulse.spec.data.source;
  if (!src.startsWith(DATASET_PREFIX)) return resolveDataFolder(src, env.impulse.dir);
  const { resolveDataset } = await import('../../data/datasets/resolve.js');
  return resolveDataset(src.slice(DATASET_PREFIX.length), { onProgress, location: env.impulse.source.locate(['data', 'source']), download: env.mayDownload });
}

export const dataStage: StageRunner = {
  async keyParts(node, env) {
    const progress = (done: number, total: number, unit: string) => env.emit({ type: 'stage-progress', stage: node.id, done, total, unit });
    const root = await resolveRoot(env, progress);
    const files = await scanDataFolder(root, env.fileHashes, (d, t) => progress(d, t, 'files'));
    env.facts.set(DATA_ROOT_FACT, root);
    env.facts.set(SCAN_FACT, files);
    const { split, onError: _onError } = env.impulse.spec.data;
    return {
      stage: node.id,
      kind: 'data',
      block: { type: 'folder', version: VERSION },
      params: { split },
      // The dataset's identity is its sorted manifest of (relative path, size, sha256).
      inputs: { source: outputHashOf(files.map((f) => ({ path: `${f.id}|${f.size}|${f.label}`, sha256: f.sha256 }))) },
    };
  },
  async run(_node, env, _deps, ctx) {
    const files = env.facts.get(SCAN_FACT) as ScannedFile[];
    const samples = splitSamples(files, env.impulse.spec.data.split);
    const index: SampleIndex = { samples, labels: [...new Set(samples.map((s) => s.label))].sort() };
    await writeSamples(ctx.outDir, index);
    const counts = { training: samples.filter((s) => s.split === 'training').length, testing: samples.filter((s) => s.split === 'testing').length };
    ctx.log(`${samples.length} samples, ${index.labels.length} labels (${counts.training} training, ${counts.testing} testing) from ${path.basename(env.facts.get(DATA_ROOT_FACT) as string)}`);
  },
};
