/** Classifier training (imported lazily by index.ts: pulls in TF.js). */
import type { TensorSet } from '../../../core/artifact/types.js';
import type { StageContext } from '../../../core/plugin/types.js';
import { learnError, LearnErrorCode } from '../common/errors.js';
import { trainNetwork, writeJson } from '../common/nn/train-network.js';
import { withDefaults } from '../common/params.js';
import { trainingRows } from '../common/rows.js';
import { makeAugmenter } from './augment.js';
import { classWeights, countPerClass, labelIndices, oneHot } from './class-weights.js';
import { ClassifierParams } from './params.js';

export async function trainClassifier(ctx: StageContext, data: TensorSet, raw: ClassifierParams): Promise<void> {
  const p = withDefaults(ClassifierParams, raw);
  const labels = [...data.labels];
  if (labels.length < 2) {
    throw learnError(
      LearnErrorCode.noTrainingData,
      `a classifier needs at least 2 labels, the data has ${labels.length} (${labels.join(', ') || 'none'})`,
      'Add data of other labels, or use an anomaly block (anomaly-kmeans, anomaly-gmm) to learn what is normal.',
    );
  }
  const k = labels.length;
  const counts = countPerClass(labelIndices(data, trainingRows(data), labels), k);
  const weights = classWeights(counts, p.classWeights);
  labels.forEach((l, i) => {
    if (counts[i] === 0) ctx.log(`warning: label '${l}' has no training rows; the model cannot learn it`);
  });
  if (p.classWeights === 'auto') ctx.log(`class weights: ${labels.map((l, i) => `${l} ${weights[i]!.toFixed(3)}`).join(', ')}`);
  const augment = makeAugmenter(p.augmentation, data.shape);

  await trainNetwork(ctx, data, p, {
    name: 'classifier',
    output: { units: k, activation: 'softmax', what: `one unit per label (${k})` },
    loss: 'crossentropy',
    targets: (rows) => oneHot(labelIndices(data, rows, labels), k),
    ...(p.classWeights === 'auto' ? { weights: (rows) => Float32Array.from(labelIndices(data, rows, labels), (c) => weights[c]!) } : {}),
    ...(augment ? { augment } : {}),
    info: { labels, trainingRowsPerLabel: Object.fromEntries(labels.map((l, i) => [l, counts[i]])), classWeights: weights },
  });
  await writeJson(ctx.outDir, 'labels.json', labels);
}
