/**
 * The per-window part of the report: the report stage scores the test windows again with each
 * learn block (float32 through the block's own predict, int8 through the int8 reference
 * interpreter, as the evaluate stage does) because the evaluate stage stores metrics, not
 * predictions per window. The pure work is in core/report/windows/.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { rowsOfSplit } from '../../artifact/concat.js';
import { readJson } from '../../artifact/io.js';
import type { StageNode } from '../../graph/build.js';
import { predictIR } from '../../model/predict.js';
import { readModel } from '../../model/serialize.js';
import type { StageContext } from '../../plugin/types.js';
import type { AnomalyScores, WindowsReport } from '../../report/report-data.js';
import { slicing } from '../../report/windows/slices.js';
import { windowsReport } from '../../report/windows/windows-report.js';
import type { RunEnv, StageResult } from '../stage-runner.js';
import { featureDeps, featuresFor, learnBlockOf } from './learn.js';
import { INT8_MODEL } from './quantize.js';

/** Model files larger than this are not searched for a threshold. */
const THRESHOLD_FILE_LIMIT = 4 * 1024 * 1024;

/**
 * The suggested threshold an anomaly block stores in its model file (`threshold` and
 * `thresholdPercentile` at the top level of a JSON file in its cache entry), if any.
 */
export function storedThreshold(learnDir: string): AnomalyScores['threshold'] | undefined {
  for (const name of readdirSync(learnDir).filter((n) => n.endsWith('.json') && n !== 'learn-info.json').sort()) {
    const file = path.join(learnDir, name);
    if (statSync(file).size > THRESHOLD_FILE_LIMIT) continue;
    try {
      const json = JSON.parse(readFileSync(file, 'utf8')) as { threshold?: unknown; thresholdPercentile?: unknown };
      if (typeof json.threshold === 'number' && Number.isFinite(json.threshold)) {
        return { value: json.threshold, ...(typeof json.thresholdPercentile === 'number' ? { percentile: json.thresholdPercentile } : {}) };
      }
    } catch {
      // not JSON we can read: not a model file
    }
  }
  return undefined;
}

/** Sample id → its group, from the data stage's samples.json. */
function groupsOf(deps: ReadonlyMap<string, StageResult>): Map<string, string> {
  const data = deps.get('data');
  if (!data) return new Map();
  const index = readJson<{ samples: { id: string; group: string }[] }>(data.dir, 'samples.json');
  return new Map(index.samples.map((s) => [s.id, s.group]));
}

export async function learnWindows(learnNode: StageNode, env: RunEnv, deps: ReadonlyMap<string, StageResult>, ctx: StageContext): Promise<WindowsReport | undefined> {
  const id = learnNode.ref!;
  const learn = deps.get(learnNode.id);
  if (!learn) return undefined;
  const test = rowsOfSplit(featuresFor(featureDeps(learnNode.deps), deps), 'testing');
  if (test.rows.length === 0) return undefined;
  const { block, params } = learnBlockOf(id, env);
  const float32 = await block.predict(ctx, learn.dir, test, params as never);
  const quantize = deps.get(`quantize:${id}`);
  const int8 = quantize ? predictIR(await readModel(quantize.dir, INT8_MODEL), test) : undefined;
  const evaluate = deps.get(`evaluate:${id}`);
  const confusion = evaluate ? readJson<{ confusion?: number[][] }>(evaluate.dir, 'metrics.json').confusion : undefined;
  const threshold = block.task === 'anomaly' ? storedThreshold(learn.dir) : undefined;
  return windowsReport({
    task: block.task,
    labels: test.labels,
    rows: test.rows,
    features: test.data,
    featureLength: test.data.length / test.rows.length,
    float32,
    ...(int8 ? { int8 } : {}),
    slicing: slicing(env.impulse.spec.data.split.groupBy, groupsOf(deps)),
    ...(threshold ? { threshold } : {}),
    ...(confusion ? { confusion } : {}),
  });
}
