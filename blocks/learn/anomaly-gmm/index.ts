/**
 * anomaly-gmm: a Gaussian mixture (diagonal covariances, EM) of the standardised features of normal
 * TRAINING rows; a row's anomaly score is its negative log-likelihood. Pure TS, no TF.js.
 */
import { defineBlock } from '../../../core/plugin/define.js';
import { anomalyTrainingData, readModelFile, readModelJson, thresholdOf, writeModelJson } from '../common/anomaly.js';
import { withDefaults } from '../common/params.js';
import { gmmC } from './c.js';
import { Rng } from '../common/random.js';
import { fitGmm } from './gmm.js';
import { GMM_FILE, GMM_FORMAT, GMM_VERSION, gmmScores, gmmTables, scoreGmm, toRows, type GmmModel } from './model.js';
import { GmmParams } from './params.js';

export { GmmParams } from './params.js';

export default defineBlock({
  kind: 'learn',
  type: 'anomaly-gmm',
  version: GMM_VERSION,
  title: 'Gaussian mixture anomaly detection',
  description:
    'Fits a Gaussian mixture model (diagonal covariances) to normal data; the anomaly score of a row is its negative log-likelihood. Suggests a threshold from the training scores.',
  task: 'anomaly',
  accepts: ['features'],
  params: GmmParams,
  async train(ctx, data, raw) {
    const p = withDefaults(GmmParams, raw);
    const t = anomalyTrainingData(data, p.labels);
    if (p.components > t.n) ctx.log(`components ${p.components} capped at the ${t.n} training rows`);
    ctx.progress(0, 1, 'fits');
    const fit = fitGmm(t.x, t.n, t.d, p.components, {
      maxIterations: p.maxIterations,
      tolerance: p.tolerance,
      regularization: p.regularization,
      rng: Rng.for(ctx.seed, 'gmm-init'),
    });
    const fitted = {
      mean: t.scaler.mean,
      std: t.scaler.std,
      weights: Array.from(fit.gmm.weights),
      means: toRows(fit.gmm.means, fit.gmm.k, t.d),
      variances: toRows(fit.gmm.variances, fit.gmm.k, t.d),
    };
    // the training rows scored exactly as predict() and the C score them
    const th = thresholdOf(gmmScores(gmmTables(fitted), t.raw, t.n), p.thresholdPercentile);
    const model: GmmModel = {
      format: GMM_FORMAT,
      inputShape: [...data.shape],
      ...fitted,
      ...th,
      labels: p.labels.length > 0 ? [...p.labels] : [...data.labels],
      iterations: fit.iterations,
      converged: fit.converged,
    };
    await writeModelJson(ctx.outDir, GMM_FILE, model);
    ctx.progress(1, 1, 'fits');
    ctx.log(
      `${fit.gmm.k} components on ${t.n} training rows × ${t.d} features; EM ${fit.converged ? 'converged' : 'stopped'} after ${fit.iterations} iterations ` +
        `(mean log-likelihood ${fit.logLikelihood.toFixed(3)}); suggested threshold ${th.threshold.toFixed(3)} (p${p.thresholdPercentile})`,
    );
  },
  async predict(_ctx, modelDir, data) {
    const model = await readModelJson<GmmModel>(modelDir, GMM_FILE, GMM_FORMAT, data);
    return scoreGmm(model, data);
  },
  async c(modelDir, _params, featureShape, { fn }) {
    return gmmC(await readModelFile<GmmModel>(modelDir, GMM_FILE, GMM_FORMAT, featureShape), featureShape, fn);
  },
});
