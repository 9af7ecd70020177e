/**
 * ReportData from cached stage outputs alone (JSON files and manifests): the part of the report
 * that needs no block code, so it is the same for this impulse and for another commit's lock.
 * The report stage then adds what it computes per test window (../windows/).
 */
import { REPORT_DATA_FORMAT, type ReportData } from '../report-data.js';
import { datasetReport, type DataSettings } from './dataset.js';
import { deviceReport } from './device.js';
import type { StageEntries } from './entries.js';
import { learnReport } from './learn.js';
import { stageInfos, type StageNodeLike } from './stages.js';

export interface CollectInput {
  readonly name: string;
  readonly description?: string;
  /** The stages in dependency order. */
  readonly nodes: readonly StageNodeLike[];
  readonly entries: StageEntries;
  readonly data?: DataSettings;
  /** What the device section says when there is no profile stage. */
  readonly noDevice: string;
}

export function collectReportData(input: CollectInput): ReportData {
  const { nodes, entries } = input;
  const ids = new Set(nodes.map((n) => n.id));
  const notes: string[] = [];
  const learn = nodes
    .filter((n) => n.kind === 'learn')
    .flatMap((n) => {
      const id = n.id.slice('learn:'.length);
      const report = learnReport(id, entries, ids.has(`quantize:${id}`));
      if (!report) notes.push(`${n.id} is not in the cache: its section is left out.`);
      return report ? [report] : [];
    });
  const profile = deviceReport(entries.get('profile'));
  const device = profile ?? { absent: ids.has('profile') ? 'The profile stage is not in the cache (or its profile.json is not readable).' : input.noDevice };
  const dataset = datasetReport(entries, input.data);
  if (!dataset) notes.push('The data stage is not in the cache: the dataset section is left out.');
  return {
    format: REPORT_DATA_FORMAT,
    impulse: { name: input.name, ...(input.description ? { description: input.description } : {}) },
    stages: stageInfos(nodes, entries),
    ...(dataset ? { dataset } : {}),
    learn,
    device,
    notes,
  };
}
