/** `deploy:<target>`: a target generates an in-memory file tree from trained models; core writes it. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { readJson } from '../../artifact/io.js';
import type { FileTree, Target, TargetInput } from '../../plugin/types.js';
import { inputsOf, type RunEnv, type StageResult, type StageRunner } from '../stage-runner.js';
import type { StageNode } from '../../graph/build.js';
import { learnBlockOf } from './learn.js';

function targetOf(node: StageNode, env: RunEnv): { target: Target; params: Record<string, unknown>; from: readonly string[] } {
  const use = env.impulse.spec.deploy[Number(node.ref)]!;
  return { target: env.impulse.registry.target(use.target)!, params: use.params as Record<string, unknown>, from: use.from };
}

export async function generateTree(node: StageNode, env: RunEnv, deps: ReadonlyMap<string, StageResult>, ctx: Parameters<StageRunner['run']>[3]): Promise<FileTree> {
  const { target, params, from } = targetOf(node, env);
  const models: TargetInput[] = from.map((learnId) => {
    const dir = deps.get(`learn:${learnId}`)!.dir;
    const info = readJson<{ labels: string[]; featureShape: number[] }>(dir, 'learn-info.json');
    return { learnId, modelDir: dir, block: learnBlockOf(learnId, env).block, labels: info.labels, featureShape: info.featureShape };
  });
  return target.generate(ctx, models, params as never);
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
