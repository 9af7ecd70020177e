/**
 * Target `tfjs`: the trained TF.js models as loadable files (model.json + weights.bin per
 * learn block, with labels and the feature shape), for Node or the browser.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Type } from '@sinclair/typebox';
import { defineTarget } from '../../core/plugin/define.js';
import type { FileTree } from '../../core/plugin/types.js';

export default defineTarget({
  kind: 'target',
  type: 'tfjs',
  version: 1,
  title: 'TF.js model files',
  description: 'Writes each trained model as model.json + weights.bin with a metadata.json (labels, feature shape).',
  params: Type.Object({}, { additionalProperties: false }),
  async generate(ctx, impulse) {
    const tree: FileTree = new Map();
    for (const m of impulse.learn) {
      const files = readdirSync(m.modelDir).filter((f) => f !== 'learn-info.json' && !f.startsWith('model-ir.'));
      for (const f of files) tree.set(`${m.id}/${f}`, readFileSync(path.join(m.modelDir, f)));
      tree.set(`${m.id}/metadata.json`, JSON.stringify({ learnBlock: m.block.type, task: m.block.task, labels: m.labels, featureShape: m.featureShape }, null, 2) + '\n');
      ctx.log(`${m.id}: ${files.length} file(s)`);
    }
    return tree;
  },
});
