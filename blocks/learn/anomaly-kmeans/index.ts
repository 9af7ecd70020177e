/**
 * anomaly-kmeans: clusters the standardised features of normal TRAINING rows (k-means++, seeded);
 * a row's anomaly score is its distance to the nearest cluster centre. Pure TS, no TF.js.
 */
import { defineBlock } from '../../../core/plugin/define.js';
import { anomalyTrainingData, readModelFile, readModelJson, thresholdOf, writeModelJson } from '../common/anomaly.js';
import { withDefaults } from '../common/params.js';
import { kmeansC } from './c.js';
import { fitKMeans, KMEANS_FILE, KMEANS_FORMAT, KMEANS_VERSION, kmeansScores, kmeansTables, scoreKMeans, type KMeansModel } from './model.js';
import { KMeansParams } from './params.js';

export { KMeansParams } from './params.js';

export default defineBlock({
  kind: 'learn',
  type: 'anomaly-kmeans',
  version: KMEANS_VERSION,
  title: 'K-means anomaly detection',
  description:
    'Learns clusters of normal data; the anomaly score of a row is its distance to the nearest cluster (standardised features). Suggests a threshold from the training scores.',
  task: 'anomaly',
  accepts: ['features'],
  params: KMeansParams,
  async train(ctx, data, raw) {
    const p = withDefaults(KMeansParams, raw);
    const t = anomalyTrainingData(data, p.labels);
    if (p.clusters > t.n) ctx.log(`clusters ${p.clusters} capped at the ${t.n} training rows`);
    ctx.progress(0, 1, 'fits');
    const fitted = fitKMeans(t, p.clusters, p.maxIterations, ctx.seed);
    const centroids = Array.from({ length: fitted.k }, (_, j) => Array.from(fitted.centroids.subarray(j * t.d, (j + 1) * t.d)));
    // the training rows scored exactly as predict() and the C score them
    const scores = kmeansScores(kmeansTables({ mean: t.scaler.mean, std: t.scaler.std, centroids }), t.raw, t.n);
    const th = thresholdOf(scores, p.thresholdPercentile);
    const model: KMeansModel = {
      format: KMEANS_FORMAT,
      inputShape: [...data.shape],
      mean: t.scaler.mean,
      std: t.scaler.std,
      centroids,
      ...th,
      labels: p.labels.length > 0 ? [...p.labels] : [...data.labels],
      iterations: fitted.iterations,
    };
    await writeModelJson(ctx.outDir, KMEANS_FILE, model);
    ctx.progress(1, 1, 'fits');
    ctx.log(
      `${fitted.k} clusters on ${t.n} training rows × ${t.d} features (${fitted.iterations} iterations); ` +
        `training scores p50 ${th.trainingScores.p50.toFixed(3)}, max ${th.trainingScores.max.toFixed(3)}; suggested threshold ${th.threshold.toFixed(3)} (p${p.thresholdPercentile})`,
    );
  },
  async predict(_ctx, modelDir, data) {
    const model = await readModelJson<KMeansModel>(modelDir, KMEANS_FILE, KMEANS_FORMAT, data);
    return scoreKMeans(model, data);
  },
  async c(modelDir, _params, featureShape, { fn }) {
    return kmeansC(await readModelFile<KMeansModel>(modelDir, KMEANS_FILE, KMEANS_FORMAT, featureShape), featureShape, fn);
  },
});
