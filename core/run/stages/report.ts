/**
 * `report`: the impulse report, one self-contained HTML page (core/report/), at the end of the DAG.
 * It reads every stage's cached outputs except the deployables' (so a generator's change never
 * reruns it), scores the test windows once more for the per-window sections, and writes
 * index.html and report.json (the page's data, which `impulse report --compare` puts beside another
 * commit's). `impulse report` copies index.html to build/report/.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { writeJson } from '../../artifact/io.js';
import { buildStageGraph, topologicalStages, type StageGraph } from '../../graph/build.js';
import type { StageContext } from '../../plugin/types.js';
import { collectReportData } from '../../report/collect/collect.js';
import type { StageEntry } from '../../report/collect/entries.js';
import type { StageNodeLike } from '../../report/collect/stages.js';
import { renderReportPage } from '../../report/html/page.js';
import type { LearnReport, ReportData } from '../../report/report-data.js';
import { inputsOf, type RunEnv, type StageResult, type StageRunner } from '../stage-runner.js';
import { CacheStore } from '../store.js';
import { learnWindows } from './report-windows.js';

/** Bump when the page or report.json changes for the same inputs. */
export const REPORT_VERSION = 1;
export const REPORT_HTML = 'index.html';
export const REPORT_JSON = 'report.json';

/** What the device section says when the impulse names no device. */
export const NO_DEVICE =
  'The impulse names no device, so there is no profile stage: add e.g. `device: cortex-m4f-80mhz` for estimated latency, RAM and flash per block, or `device: { name: cortex-m4f-80mhz, measure: true }` to measure them on an emulated Cortex-M4F.';

/** The impulse as the diagram shows it: part of the key, so a param change that leaves every output the same still redraws it. */
function shownSpec(env: RunEnv): Record<string, unknown> {
  const { plugins: _plugins, ...spec } = env.impulse.spec;
  return spec as unknown as Record<string, unknown>;
}

/** The graph's stages, with block and params for those whose entries the report does not read (deploy, itself). */
export function graphNodes(graph: StageGraph, env: RunEnv): StageNodeLike[] {
  return topologicalStages(graph).map((n) => {
    if (n.kind === 'deploy') {
      const use = env.impulse.spec.deploy[Number(n.ref)]!;
      const target = env.impulse.registry.target(use.target);
      return { id: n.id, kind: n.kind, deps: n.deps, ...(target ? { block: { type: target.type, version: target.version } } : {}), params: use.params };
    }
    if (n.kind === 'report') return { id: n.id, kind: n.kind, deps: n.deps, block: { type: 'html-report', version: REPORT_VERSION }, params: {} };
    return { id: n.id, kind: n.kind, deps: n.deps };
  });
}

function entriesOf(deps: readonly string[], results: ReadonlyMap<string, StageResult>, store: CacheStore): Map<string, StageEntry> {
  const entries = new Map<string, StageEntry>();
  for (const id of deps) {
    const r = results.get(id);
    if (!r) continue;
    const parts = store.peek(r.key)?.parts;
    entries.set(id, { id, dir: r.dir, ...(parts ? { parts } : {}) });
  }
  return entries;
}

/** Adds each learn block's per-window data; a failure is written on the page, not thrown away. */
async function withWindows(data: ReportData, graph: StageGraph, env: RunEnv, deps: ReadonlyMap<string, StageResult>, ctx: StageContext): Promise<ReportData> {
  const learn: LearnReport[] = [];
  for (const [i, l] of data.learn.entries()) {
    ctx.progress(i, data.learn.length, 'learn blocks');
    try {
      const windows = await learnWindows(graph.getNodeAttributes(`learn:${l.id}`), env, deps, ctx);
      learn.push(windows ? { ...l, windows } : l);
    } catch (e) {
      const why = `The per-window sections of learn:${l.id} could not be computed: ${(e as Error).message}`;
      ctx.log(why);
      learn.push({ ...l, windows: { rows: 0, notes: [why] } });
    }
  }
  ctx.progress(data.learn.length, data.learn.length, 'learn blocks');
  return { ...data, learn };
}

export const reportStage: StageRunner = {
  async keyParts(node, env, deps) {
    return { stage: node.id, kind: 'report', block: { type: 'html-report', version: REPORT_VERSION }, params: { impulse: shownSpec(env) }, inputs: inputsOf(node, deps) };
  },
  async run(node, env, deps, ctx) {
    const { spec } = env.impulse;
    const graph = buildStageGraph(spec, env.impulse.registry, env.impulse.source);
    const collected = collectReportData({
      name: spec.name,
      ...(spec.description ? { description: spec.description } : {}),
      nodes: graphNodes(graph, env),
      entries: entriesOf(node.deps, deps, new CacheStore(env.stateDir)),
      data: { source: spec.data.source, split: spec.data.split, onError: spec.data.onError },
      noDevice: NO_DEVICE,
    });
    const data = await withWindows(collected, graph, env, deps, ctx);
    const html = await renderReportPage(data);
    await writeJson(ctx.outDir, REPORT_JSON, data);
    await writeFile(path.join(ctx.outDir, REPORT_HTML), html);
    ctx.log(`${(Buffer.byteLength(html) / 1024).toFixed(0)} KB page, ${data.learn.length} learn block${data.learn.length === 1 ? '' : 's'}`);
  },
};
