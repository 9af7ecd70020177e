/**
 * Target `tflite`: each learn block's network as `.tflite` flatbuffers — float32 and int8 —
 * with labels, window length and sampling frequency in the file's metadata, plus labels.txt.
 * Runs in TensorFlow Lite, TFLite Micro and anything else that reads the format.
 */
import { Type } from '@sinclair/typebox';
import { defineTarget } from '../../core/plugin/define.js';
import type { ModelIR, ModelMetadata } from '../../core/model/ir.js';
import type { FileTree, TargetImpulse } from '../../core/plugin/types.js';
import { writeTflite } from './write.js';

const Params = Type.Object(
  {
    precision: Type.Optional(
      Type.Union([Type.Literal('both'), Type.Literal('float32'), Type.Literal('int8')], {
        default: 'both',
        description: 'Which models to write: both (model-float32.tflite and model-int8.tflite), float32 or int8.',
      }),
    ),
  },
  { additionalProperties: false },
);

/** Window length and frequency of the impulse (time series), for the model's metadata. */
function impulseMetadata(impulse: TargetImpulse): ModelMetadata {
  const { info } = impulse.input;
  if (info.frequency === undefined) return {};
  return { frequency: info.frequency, windowMs: Math.round((info.shape[0]! / info.frequency) * 1000) };
}

export default defineTarget({
  kind: 'target',
  type: 'tflite',
  version: 1,
  title: 'TFLite flatbuffers',
  description: 'Writes each network as model-float32.tflite and model-int8.tflite (labels, window size and frequency in the metadata) with labels.txt.',
  params: Params,
  async generate(ctx, impulse, params) {
    const tree: FileTree = new Map();
    const precision = params.precision ?? 'both';
    for (const l of impulse.learn) {
      if (!l.float && !l.int8) {
        ctx.log(`${l.id}: ${l.block.type} has no network to write as .tflite; skipped`);
        continue;
      }
      const meta: ModelMetadata = { ...impulseMetadata(impulse), labels: l.labels, source: `impulse-kit ${impulse.name} ${l.id}` };
      const write = (name: string, model: ModelIR) => {
        const bytes = writeTflite({ ...model, metadata: { ...model.metadata, ...meta } });
        tree.set(`${l.id}/${name}`, bytes);
        ctx.log(`${l.id}/${name}: ${bytes.byteLength} bytes`);
      };
      const isFloat = l.float !== undefined && l.float.tensors[l.float.inputs[0]!]!.dtype === 'float32';
      if (precision !== 'int8' && l.float && isFloat) write('model-float32.tflite', l.float);
      if (precision !== 'float32' && l.int8) write('model-int8.tflite', l.int8);
      tree.set(`${l.id}/labels.txt`, l.labels.join('\n') + '\n');
    }
    return tree;
  },
});
