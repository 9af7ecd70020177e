/** `learn:<id>`: trains a learn block on the (concatenated) features of its sources; stores its network as model IR. */
import { concatFeatures } from '../../artifact/concat.js';
import { readTensorSet, writeJson } from '../../artifact/io.js';
import type { TensorSet } from '../../artifact/types.js';
import { modelHash, writeModel } from '../../model/serialize.js';
import type { LearnBlock } from '../../plugin/types.js';
import type { LearnUse } from '../../spec/normalized.js';
import { inputsOf, type RunEnv, type StageResult, type StageRunner } from '../stage-runner.js';
import type { StageNode } from '../../graph/build.js';

/** File name (without .json/.bin) of the learn stage's model IR, float32 or as imported. */
export const LEARN_MODEL = 'model-ir';

export function learnBlockOf(ref: string, env: RunEnv): { block: LearnBlock; params: Record<string, unknown>; use: LearnUse } {
  const use = env.impulse.spec.learn[ref]!;
  return { block: env.impulse.registry.block('learn', use.type)!, params: use.params as Record<string, unknown>, use };
}

export function featuresFor(deps: readonly string[], results: ReadonlyMap<string, StageResult>): TensorSet {
  return concatFeatures(deps.map((d) => readTensorSet(results.get(d)!.dir)));
}

/** The feature stages among a stage's deps (not the learn and quantize stages). */
export function featureDeps(deps: readonly string[]): string[] {
  return deps.filter((d) => d === 'input' || d.startsWith('dsp:'));
}

export const learnStage: StageRunner = {
  async keyParts(node, env, deps) {
    const { block, params } = learnBlockOf(node.ref!, env);
    return { stage: node.id, kind: 'learn', block: { type: block.type, version: block.version }, params, seed: env.impulse.spec.seed, inputs: inputsOf(node, deps, block.cacheInputs?.(params as never, env.impulse.dir)) };
  },
  async run(node: StageNode, env, deps, ctx) {
    const { block, params } = learnBlockOf(node.ref!, env);
    const data = featuresFor(node.deps, deps);
    const summary: Record<string, string | number> = {};
    await block.train({ ...ctx, report: (facts) => Object.assign(summary, facts) }, data, params as never);
    let model: { hash: string; precision: string } | undefined;
    if (block.toModel) {
      const ir = await block.toModel(ctx.outDir, params as never);
      await writeModel(ctx.outDir, LEARN_MODEL, ir);
      model = { hash: modelHash(ir), precision: ir.tensors[ir.inputs[0]!]!.dtype };
    }
    await writeJson(ctx.outDir, 'learn-info.json', { type: block.type, task: block.task, labels: data.labels, featureShape: data.shape, summary, ...(model ? { model } : {}) });
  },
};
