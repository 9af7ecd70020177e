/** `deploy:<target>`: a target generates an in-memory file tree from the whole impulse and its trained models; core writes it. */
import { promises as fs, readFileSync } from 'node:fs';
import type { TensorSet } from '../../artifact/types.js';
import { signalInfoOf } from './dsp.js';
import path from 'node:path';
import { readJson } from '../../artifact/io.js';
import { readModel } from '../../model/serialize.js';
import type { FileTree, SignalInfo, Target, TargetDsp, TargetImpulse, TargetLearn } from '../../plugin/types.js';
import { INPUT_REF } from '../../spec/normalized.js';
import { inputsOf, type RunEnv, type StageResult, type StageRunner } from '../stage-runner.js';
import type { StageNode } from '../../graph/build.js';
import type { LoadedImpulse } from '../../spec/load.js';
import { LEARN_MODEL } from './learn.js';
import { INT8_MODEL } from './quantize.js';

function targetOf(node: StageNode, env: RunEnv): { target: Target; params: Record<string, unknown>; from: readonly string[] } {
  const use = env.impulse.spec.deploy[Number(node.ref)]!;
  return { target: env.impulse.registry.target(use.target)!, params: use.params as Record<string, unknown>, from: use.from };
}

/**
 * Input info and each DSP block's shapes, in the impulse's order: from the cached input stage's
 * windows when given (what the files resolved: frequency, axes), else from the blocks alone.
 */
export function describeImpulse(impulse: Pick<LoadedImpulse, 'spec' | 'registry'>, resolvedInput?: SignalInfo): Pick<TargetImpulse, 'name' | 'input' | 'dsp'> {
  const { spec, registry } = impulse;
  const inputBlock = registry.block('input', spec.input.type)!;
  const inputInfo = resolvedInput ?? inputBlock.info(spec.input.params as never);
  const infos = new Map<string, SignalInfo>([[INPUT_REF, inputInfo]]);
  const dsp: TargetDsp[] = [];
  const pending = Object.entries(spec.dsp);
  // DSP blocks may read each other: resolve in dependency order (the graph has no cycles).
  while (pending.length > 0) {
    const at = pending.findIndex(([, use]) => use.from.every((f) => infos.has(f)));
    const [id, use] = pending.splice(at, 1)[0]!;
    const block = registry.block('dsp', use.type)!;
    const from = infos.get(use.from[0]!)!;
    const outputShape = block.shape(use.params as never, from);
    infos.set(id, { shape: outputShape });
    dsp.push({ id, block, params: use.params, from: use.from, inputInfo: from, outputShape });
  }
  return { name: spec.name, input: { type: spec.input.type, params: spec.input.params, info: inputInfo }, dsp };
}

/**
 * The whole impulse as targets see it, from its cached stage results (`learn:<id>` and, when
 * quantized, `quantize:<id>` for each learn block of `from`).
 */
export async function targetImpulseOf(impulse: Pick<LoadedImpulse, 'spec' | 'registry'>, from: readonly string[], results: ReadonlyMap<string, StageResult>): Promise<TargetImpulse> {
  const learn: TargetLearn[] = [];
  for (const learnId of from) {
    const dir = results.get(`learn:${learnId}`)!.dir;
    const info = readJson<{ labels: string[]; featureShape: number[]; model?: unknown }>(dir, 'learn-info.json');
    const use = impulse.spec.learn[learnId]!;
    const block = impulse.registry.block('learn', use.type)!;
    const quantized = results.get(`quantize:${learnId}`);
    learn.push({
      id: learnId,
      block,
      params: use.params as Record<string, unknown>,
      from: use.from,
      modelDir: dir,
      labels: info.labels,
      featureShape: info.featureShape,
      ...(info.model ? { float: await readModel(dir, LEARN_MODEL) } : {}),
      ...(quantized ? { int8: await readModel(quantized.dir, INT8_MODEL) } : {}),
    });
  }
  const input = results.get('input');
  const resolved = input ? signalInfoOf(JSON.parse(readFileSync(path.join(input.dir, 'tensors.json'), 'utf8')) as Pick<TensorSet, 'shape' | 'attrs'>) : undefined;
  return { ...describeImpulse(impulse, resolved), learn };
}

export async function generateTree(node: StageNode, env: RunEnv, deps: ReadonlyMap<string, StageResult>, ctx: Parameters<StageRunner['run']>[3]): Promise<FileTree> {
  const { target, params, from } = targetOf(node, env);
  return target.generate(ctx, await targetImpulseOf(env.impulse, from, deps), params as never);
}

export async function writeTree(tree: FileTree, dir: string): Promise<void> {
  for (const [rel, content] of tree) {
    const file = path.join(dir, rel);
    if (path.relative(dir, file).startsWith('..')) throw new Error(`target wrote outside its folder: ${rel}`);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, content);
  }
}

export const deployStage: StageRunner = {
  async keyParts(node, env, deps) {
    const { target, params } = targetOf(node, env);
    return { stage: node.id, kind: 'deploy', block: { type: target.type, version: target.version }, params, inputs: inputsOf(node, deps) };
  },
  async run(node, env, deps, ctx) {
    await writeTree(await generateTree(node, env, deps, ctx), ctx.outDir);
  },
};
