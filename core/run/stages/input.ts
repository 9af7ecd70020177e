/** `input`: the input block turns samples into windows or images. */
import { readSamples, writeJson, writeTensorSet } from '../../artifact/io.js';
import { ImpulseError } from '../../errors/impulse-error.js';
import { inputsOf, type StageRunner } from '../stage-runner.js';
import { DATA_ROOT_FACT } from './data.js';

export const inputStage: StageRunner = {
  async keyParts(node, env, deps) {
    const { type, params } = env.impulse.spec.input;
    const block = env.impulse.registry.block('input', type)!;
    return { stage: node.id, kind: 'input', block: { type, version: block.version }, params: { ...params, onError: env.impulse.spec.data.onError }, inputs: inputsOf(node, deps) };
  },
  async run(_node, env, deps, ctx) {
    const { type, params } = env.impulse.spec.input;
    const block = env.impulse.registry.block('input', type)!;
    const samples = readSamples(deps.get('data')!.dir);
    const onError = env.impulse.spec.data.onError;
    const { set, skipped } = await block.run(ctx, samples, { dataRoot: env.facts.get(DATA_ROOT_FACT) as string, onError }, params as never);
    if (set.rows.length === 0) {
      throw new ImpulseError({ code: 'E_DATA_NO_WINDOWS', message: 'the input block produced no windows', hint: 'Check the window size against your sample lengths, or use pad: zero.' });
    }
    await writeTensorSet(ctx.outDir, set);
    await writeJson(ctx.outDir, 'skipped.json', skipped);
    if (skipped.length > 0) ctx.log(`skipped ${skipped.length} bad sample(s) (data.onError: skip); see \`impulse status\``);
    ctx.log(`${set.rows.length} ${set.kind === 'image' ? 'images' : 'windows'} of [${set.shape.join('×')}]`);
  },
};
