import path from 'node:path';
import pc from 'picocolors';
import { readJson } from '../../core/artifact/io.js';
import { runImpulse, selectStages, stateDirOf, type RunSummary } from '../../core/run/executor.js';
import { computeFingerprint, entryFiles, writeNoopRecord, type NoopStage } from '../../core/run/noop-record.js';
import { DATA_ROOT_FACT } from '../../core/run/stages/data.js';
import type { LoadedImpulse } from '../../core/spec/load.js';
import { kitVersion } from '../fast-noop.js';
import { buildDirOf, materializeDeploys, REPORT_PAGE } from '../../core/run/materialize.js';
import { inspectStages } from '../../core/run/status.js';
import { generateTree } from '../../core/run/stages/deploy.js';
import { ImpulseError } from '../../core/errors/impulse-error.js';
import { buildStageGraph } from '../../core/graph/build.js';
import { didYouMean } from '../../core/util/suggest.js';
import { displayPath } from '../../core/spec/load.js';
import { loadForCli, printJson } from '../load.js';
import { chooseViewMode, RunView } from '../view/run-view.js';
import { formatEvaluation } from '../view/metrics-table.js';
import { formatProfile } from '../view/profile-table.js';
import { PROFILE_FILE, type ProfileReport } from '../../core/device/profile/report.js';
import { formatSkipped } from '../view/skipped.js';

export interface RunCliOptions {
  jobs?: number;
  force?: boolean;
  only?: string[];
  dryRun?: boolean;
  json?: boolean;
}

export async function runCommand(target: string, opts: RunCliOptions): Promise<void> {
  const impulse = await loadForCli(target);
  const graph = buildStageGraph(impulse.spec, impulse.registry, impulse.source);
  for (const id of opts.only ?? []) {
    if (!graph.hasNode(id)) {
      throw new ImpulseError({ code: 'E_CLI_UNKNOWN_STAGE', message: `--only: no stage '${id}'${didYouMean(id, graph.nodes())}`, hint: `Stages: ${graph.nodes().join(', ')}.` });
    }
  }
  if (opts.dryRun) return dryRun(impulse, opts);
  const view = new RunView(chooseViewMode(opts.json ?? false));
  let summary;
  try {
    summary = await runImpulse(impulse, { ...(opts.jobs ? { jobs: opts.jobs } : {}), force: opts.force ?? false, ...(opts.only ? { only: opts.only } : {}), onEvent: view.handle });
  } finally {
    view.stop();
  }
  const written = materializeDeploys(impulse.dir, summary);
  if (!opts.only?.length) recordNoop(impulse, summary);
  if (opts.json) return;
  const input = summary.results.get('input');
  const skippedLine = input ? formatSkipped(input.dir) : undefined;
  if (skippedLine) process.stdout.write(skippedLine + '\n');
  for (const [stage, r] of summary.results) {
    if (!stage.startsWith('evaluate:')) continue;
    const learnId = stage.slice('evaluate:'.length);
    const learn = summary.results.get(`learn:${learnId}`);
    const info = learn ? readJson<{ summary?: Record<string, string | number> }>(learn.dir, 'learn-info.json') : undefined;
    process.stdout.write(formatEvaluation(learnId, r.dir, info?.summary) + '\n');
  }
  const profiled = summary.results.get('profile');
  if (profiled) process.stdout.write(formatProfile(readJson<ProfileReport>(profiled.dir, PROFILE_FILE), { compact: true }));
  for (const [stage] of summary.results) {
    if (stage.startsWith('deploy:')) process.stdout.write(`${stage}: ${displayPath(buildDirOf(impulse.dir, stage))}${written.length ? '' : pc.dim(' (unchanged)')}\n`);
  }
  if (summary.results.has('report')) process.stdout.write(`report: ${displayPath(path.join(impulse.dir, REPORT_PAGE))}\n`);
  if (summary.ran.length === 0) process.stdout.write(pc.dim('nothing to do: every stage is cached\n'));
}

/** Lets the next unchanged `impulse run` skip everything (see core/run/noop-record.ts). */
function recordNoop(impulse: LoadedImpulse, summary: RunSummary): void {
  if (impulse.spec.plugins.length > 0 || !/\.ya?ml$/.test(impulse.file)) return;
  // Blocks that read files of their own (e.g. an expert model.ts) are beyond the fingerprint.
  const used = [...Object.values(impulse.spec.dsp).map((u) => impulse.registry.block('dsp', u.type)), ...Object.values(impulse.spec.learn).map((u) => impulse.registry.block('learn', u.type))];
  if (used.some((b) => b?.cacheInputs)) return;
  const dataRoot = summary.facts.get(DATA_ROOT_FACT) as string | undefined;
  if (!dataRoot) return;
  const stages: NoopStage[] = [...summary.results.values()].map((r) => {
    const dir = path.dirname(r.dir);
    return { stage: r.stage, key: r.key, dir, files: entryFiles(dir) };
  });
  for (const stage of summary.results.keys()) {
    if (!stage.startsWith('deploy:')) continue;
    const dir = buildDirOf(impulse.dir, stage);
    stages.push({ stage: `build:${stage}`, key: '', dir, files: entryFiles(dir) });
  }
  writeNoopRecord(stateDirOf(impulse), { format: 1, fingerprint: computeFingerprint(impulse.file, dataRoot, kitVersion()), dataRoot, stages });
}

async function dryRun(impulse: LoadedImpulse, opts: RunCliOptions): Promise<void> {
  const { status, known, env } = await inspectStages(impulse, { persist: false });
  const graph = buildStageGraph(impulse.spec, impulse.registry, impulse.source);
  const keep = new Set(selectStages(graph, opts.only).map((n) => n.id));
  const plan = status.filter((s) => keep.has(s.stage)).map((s) => ({ stage: s.stage, action: opts.force || s.state === 'stale' ? 'run' : 'cached', reasons: s.reasons }));
  // Targets generate into memory: with their inputs cached, the files they would write are known.
  const deploys: { stage: string; dir: string; files?: { path: string; bytes: number }[] }[] = [];
  for (const node of selectStages(graph, opts.only).filter((n) => n.kind === 'deploy')) {
    const dir = buildDirOf(impulse.dir, node.id);
    if (!node.deps.every((d) => known.has(d))) {
      deploys.push({ stage: node.id, dir });
      continue;
    }
    const ctx = { stageId: node.id, seed: impulse.spec.seed, projectDir: impulse.dir, outDir: '/dev/null', jobs: 1, signal: new AbortController().signal, progress: () => {}, log: () => {} };
    const tree = await generateTree(node, env, known, ctx);
    deploys.push({ stage: node.id, dir, files: [...tree].map(([p, c]) => ({ path: p, bytes: typeof c === 'string' ? Buffer.byteLength(c) : c.byteLength })) });
  }
  if (opts.json) {
    printJson({ dryRun: true, plan, deploy: deploys.map((d) => ({ ...d, dir: displayPath(d.dir) })) });
    return;
  }
  for (const p of plan) process.stdout.write(`${p.action === 'run' ? pc.yellow('would run') : pc.green('cached   ')}  ${p.stage}  ${pc.dim(p.reasons.join('; '))}\n`);
  for (const d of deploys) {
    process.stdout.write(`${d.stage} → ${displayPath(d.dir)}/\n`);
    if (!d.files) process.stdout.write(pc.dim('  (files known once its models are trained)\n'));
    for (const f of d.files ?? []) process.stdout.write(`  ${f.path} ${pc.dim(`${f.bytes} bytes`)}\n`);
  }
  process.stdout.write(pc.dim('dry run: nothing was written\n'));
}
