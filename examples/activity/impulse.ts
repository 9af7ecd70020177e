// The same impulse as impulse.yaml, in the typed TypeScript form. Both normalize to the
// same spec and the same cache keys: `impulse run examples/activity/impulse.ts` after
// running the YAML form is a no-op.
import { classifier, cpp, impulse, layers as L, spectralAnalysis, tfjs, tflite, timeSeries } from 'impulse-kit';

export default impulse({ name: 'activity', seed: 7 })
  .data({ source: 'dataset:st_har', split: { test: 0.2 } })
  .input(timeSeries({ frequency: 26, axes: ['x', 'y', 'z'], window: { size: '2000ms', stride: '500ms', pad: 'zero' } }))
  .dsp('spectral', spectralAnalysis({ scaleAxes: 0.001, fftLength: 16, doLog: true, doFftOverlap: true }))
  .learn(
    'classifier',
    classifier({
      from: ['spectral'],
      layers: [L.dense({ units: 20, activation: 'relu' }), L.dense({ units: 10, activation: 'relu' })],
      epochs: 100,
      learningRate: 0.005,
      batchSize: 32,
      schedule: 'cosine',
      classWeights: 'auto',
    }),
  )
  .deploy(cpp(), tflite(), tfjs());
