/**
 * pretrained: bring your own model. A .tflite file (float32 or int8) takes the place of training;
 * it is read into the model IR and goes through evaluation, quantization (when float) and every
 * deployment target like a trained network. Predictions run on the IR reference interpreters.
 */
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { defineBlock } from '../../../core/plugin/define.js';
import { ImpulseError } from '../../../core/errors/impulse-error.js';
import { elementCount, type ModelIR } from '../../../core/model/ir.js';
import { readTflite } from '../../../core/model/tflite/read.js';
import { predictIR } from '../../../core/model/predict.js';
import { PretrainedParams } from './params.js';
import { resolveTfliteFile } from './model-file.js';

const MODEL_FILE = 'model.tflite';

async function loadIR(modelDir: string) {
  return readTflite(new Uint8Array(await readFile(path.join(modelDir, MODEL_FILE))), MODEL_FILE);
}

export default defineBlock({
  kind: 'learn',
  type: 'pretrained',
  version: 1,
  title: 'Pretrained .tflite model',
  description: 'Uses your own .tflite classifier (float32 or int8) instead of training one: evaluated, quantized (if float) and deployed like a trained model.',
  task: 'classification',
  accepts: ['features'],
  params: PretrainedParams,
  cacheInputs(params, projectDir) {
    const file = resolveTfliteFile(params.model, projectDir);
    return { [file.rel]: file.sha256 };
  },
  async train(ctx, data, params) {
    const file = resolveTfliteFile(params.model, ctx.projectDir);
    const model = readTflite(file.bytes, file.rel);
    const input = model.tensors[model.inputs[0]!]!;
    const output = model.tensors[model.outputs[0]!]!;
    const features = data.shape.reduce((a, b) => a * b, 1);
    if (elementCount(input.shape) !== features) {
      throw new ImpulseError({
        code: 'E_LEARN_BAD_PARAM',
        message: `${file.rel} takes an input of [${input.shape.join(', ')}] (${elementCount(input.shape)} values), but the features of this block are [${data.shape.join(', ')}] (${features} values)`,
        hint: 'Choose DSP blocks (learn.<id>.from) whose features match the input the model was trained on.',
        location: { file: file.rel },
      });
    }
    if (elementCount(output.shape) !== params.labels.length) {
      throw new ImpulseError({
        code: 'E_LEARN_BAD_PARAM',
        message: `${file.rel} has ${elementCount(output.shape)} outputs, but params.labels lists ${params.labels.length}`,
        hint: "List one label per model output, in the model's output order.",
        location: { file: file.rel },
      });
    }
    const unknown = params.labels.filter((l) => !data.labels.includes(l));
    if (unknown.length > 0) {
      throw new ImpulseError({
        code: 'E_LEARN_UNKNOWN_LABEL',
        message: `params.labels names ${unknown.map((l) => `'${l}'`).join(', ')}, not a label of the data (${data.labels.join(', ')})`,
        hint: 'Use the label names of the data folders, in the order of the model outputs.',
      });
    }
    await copyFile(file.abs, path.join(ctx.outDir, MODEL_FILE));
    await writeFile(path.join(ctx.outDir, 'labels.json'), JSON.stringify(params.labels) + '\n');
    ctx.log(`${file.rel}: ${model.ops.length} ops, ${input.dtype} input [${input.shape.join(', ')}]`);
    ctx.report?.({ model: file.rel, precision: input.dtype, ops: model.ops.length });
  },
  async predict(ctx, modelDir, data, params) {
    const model = withLabels(await loadIR(modelDir), params);
    return predictIR(model, data, (done, total) => ctx.progress(done, total, 'windows'));
  },
  async toModel(modelDir, params) {
    return withLabels(await loadIR(modelDir), params);
  },
});

function withLabels(model: ModelIR, params: PretrainedParams): ModelIR {
  return { ...model, metadata: { ...model.metadata, labels: params.labels, source: `pretrained ${path.basename(params.model)}` } };
}
