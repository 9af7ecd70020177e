/** The built-in learn blocks. */
import type { LearnBlock } from '../../core/plugin/types.js';
import anomalyGmm from './anomaly-gmm/index.js';
import anomalyKmeans from './anomaly-kmeans/index.js';
import classifier from './classifier/index.js';
import expert from './expert/index.js';
import pretrained from './pretrained/index.js';
import regression from './regression/index.js';

export { anomalyGmm, anomalyKmeans, classifier, expert, pretrained, regression };
export type { LayerSpec } from './common/layers/schema.js';
export { PRESET_NAMES } from './common/layers/presets.js';

export const learnBlocks: readonly LearnBlock[] = [classifier, regression, anomalyKmeans, anomalyGmm, expert, pretrained];
