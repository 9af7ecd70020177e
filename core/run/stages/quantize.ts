/**
 * `quantize:<id>`: int8 post-training quantization of the learn block's float IR, calibrated on
 * a seeded random subset of its training windows. An imported model that is already int8 passes
 * through unchanged.
 */
import { readTensorSet, writeJson } from '../../artifact/io.js';
import { rowOf } from '../../artifact/types.js';
import { isQuantized, calibrateRanges, quantizeModel } from '../../model/quantize/quantize.js';
import { observeFloat } from '../../model/quantize/observe.js';
import { modelHash, readModel, writeModel } from '../../model/serialize.js';
import { seededSubset } from '../../model/quantize/subset.js';
import { inputsOf, type StageRunner } from '../stage-runner.js';
import { featureDeps, featuresFor, LEARN_MODEL, learnBlockOf } from './learn.js';

const VERSION = 1;
export const INT8_MODEL = 'model-int8';

export const quantizeStage: StageRunner = {
  async keyParts(node, env, deps) {
    const { use } = learnBlockOf(node.ref!, env);
    return { stage: node.id, kind: 'quantize', block: { type: 'int8-ptq', version: VERSION }, params: use.quantize, seed: env.impulse.spec.seed, inputs: inputsOf(node, deps) };
  },
  async run(node, env, deps, ctx) {
    const { use } = learnBlockOf(node.ref!, env);
    const [learnId] = node.deps;
    const model = await readModel(deps.get(learnId!)!.dir, LEARN_MODEL);
    if (isQuantized(model)) {
      ctx.log('the model is already quantized: kept as it is');
      await writeModel(ctx.outDir, INT8_MODEL, model);
      await writeJson(ctx.outDir, 'quantize-info.json', { method: 'imported', hash: modelHash(model) });
      return;
    }
    const data = featuresFor(featureDeps(node.deps), deps);
    const training = data.rows.flatMap((r, i) => (r.split === 'training' ? [i] : []));
    const chosen = seededSubset(training, use.quantize.calibrationSamples, env.impulse.spec.seed);
    const samples = chosen.map((i) => rowOf(data, i));
    ctx.log(`calibrating on ${samples.length} training windows (${use.quantize.calibration})`);
    const passes = use.quantize.calibration === 'minmax' ? 1 : 2;
    let pass = 0;
    const ranges = calibrateRanges(model, samples, observeFloat(model), {
      method: use.quantize.calibration,
      onProgress: (done, total) => {
        if (done === total) pass++;
        ctx.progress(pass * total + (done === total ? 0 : done), passes * total, 'windows');
      },
    });
    const quantized = quantizeModel(model, ranges);
    const int8 = { ...quantized, metadata: { ...quantized.metadata, rounding: use.quantize.rounding } };
    await writeModel(ctx.outDir, INT8_MODEL, int8);
    await writeJson(ctx.outDir, 'quantize-info.json', { method: use.quantize.calibration, rounding: use.quantize.rounding, calibrationSamples: samples.length, hash: modelHash(int8) });
    ctx.report?.({ calibration: use.quantize.calibration, calibrationWindows: samples.length });
  },
};
