/**
 * Per learn block: what it is, how it trained (history.json), and how it scores on the test split in
 * float32 and int8 (the evaluate stage's metrics.json, metrics-int8.json, precision.json), read
 * from the cached outputs of learn:<id>, quantize:<id> and evaluate:<id>.
 */
import type { HistoryReport, LearnReport, TaskMetrics } from '../report-data.js';
import { readOptionalJson, type StageEntries } from './entries.js';

interface LearnInfo {
  readonly type: string;
  readonly task: LearnReport['task'];
  readonly labels: readonly string[];
  readonly featureShape: readonly number[];
  readonly summary?: Record<string, string | number>;
  readonly model?: unknown;
}

interface HistoryJson {
  readonly monitor?: string;
  readonly bestEpoch?: number;
  readonly stoppedEarly?: boolean;
  readonly epochs?: readonly { epoch: number; loss: number; acc?: number; valLoss?: number; valAcc?: number }[];
}

/** Types whose missing history has a reason worth saying (others: "stores no training history"). */
const ONE_PASS_TASKS = new Set(['anomaly']);

function historyOf(json: HistoryJson | undefined): HistoryReport | undefined {
  if (!json?.epochs || json.epochs.length === 0) return undefined;
  const epochs = json.epochs.map((e) => ({
    epoch: e.epoch,
    loss: e.loss,
    ...(e.acc !== undefined ? { acc: e.acc } : {}),
    ...(e.valLoss !== undefined ? { valLoss: e.valLoss } : {}),
    ...(e.valAcc !== undefined ? { valAcc: e.valAcc } : {}),
  }));
  return { epochs, bestEpoch: json.bestEpoch ?? epochs.length, stoppedEarly: json.stoppedEarly ?? false, monitor: json.monitor ?? 'loss' };
}

function noHistoryReason(info: LearnInfo): string {
  if (ONE_PASS_TASKS.has(info.task)) return `${info.type} fits its model in one pass over the training windows: there are no epochs to plot.`;
  if (info.type === 'pretrained') return 'The model was imported (pretrained), not trained here: there is no training history.';
  return `${info.type} stored no training history (history.json) in its cache entry.`;
}

function weightsBytes(entry: Parameters<typeof readOptionalJson>[0], name: string): number | undefined {
  return readOptionalJson<{ weightsBytes?: number }>(entry, `${name}.json`)?.weightsBytes;
}

export function learnReport(id: string, entries: StageEntries, hasQuantizeStage: boolean): LearnReport | undefined {
  const learn = entries.get(`learn:${id}`);
  const info = readOptionalJson<LearnInfo>(learn, 'learn-info.json');
  if (!info) return undefined;
  const quantize = entries.get(`quantize:${id}`);
  const evaluate = entries.get(`evaluate:${id}`);
  const history = historyOf(readOptionalJson<HistoryJson>(learn, 'history.json'));
  const float32 = readOptionalJson<TaskMetrics>(evaluate, 'metrics.json');
  const int8 = readOptionalJson<TaskMetrics>(evaluate, 'metrics-int8.json');
  const precision = readOptionalJson<{ changedTopLabel?: number }>(evaluate, 'precision.json');
  const quantizeInfo = readOptionalJson<{ method?: string; rounding?: string; calibrationSamples?: number }>(quantize, 'quantize-info.json');
  const floatBytes = weightsBytes(learn, 'model-ir');
  const int8Bytes = weightsBytes(quantize, 'model-int8');
  const int8Absent = int8
    ? undefined
    : !hasQuantizeStage
      ? info.model
        ? `learn.${id}.quantize.type is none: the impulse keeps this model in float32 only.`
        : `${info.type} has no network: int8 quantization applies to networks only.`
      : !quantize
        ? `quantize:${id} is not in the cache.`
        : `evaluate:${id} is not in the cache.`;
  return {
    id,
    type: info.type,
    task: info.task,
    labels: info.labels,
    featureShape: info.featureShape,
    summary: info.summary ?? {},
    ...(history ? { history } : { noHistory: noHistoryReason(info) }),
    ...(float32 ? { float32 } : {}),
    ...(int8 ? { int8 } : {}),
    ...(int8Absent ? { int8Absent } : {}),
    ...(precision?.changedTopLabel !== undefined ? { changedTopLabel: precision.changedTopLabel } : {}),
    ...(quantizeInfo ? { quantize: quantizeInfo } : {}),
    ...(floatBytes !== undefined || int8Bytes !== undefined ? { modelBytes: { ...(floatBytes !== undefined ? { float32: floatBytes } : {}), ...(int8Bytes !== undefined ? { int8: int8Bytes } : {}) } } : {}),
  };
}
