// The same impulse as impulse.yaml, in the typed TypeScript form. Both normalize to the
// same spec and the same cache keys: `impulse run examples/spoken-digits/impulse.ts` after
// running the YAML form is a no-op.
import { classifier, cpp, impulse, layers as L, mfcc, tfjs, tflite, timeSeries } from 'impulse-kit';

export default impulse({ name: 'spoken-digits', seed: 7 })
  .data({ source: 'dataset:fsdd', split: { test: 0.2 } })
  .input(timeSeries({ frequency: 8000, axes: ['audio'], window: { size: '1000ms', stride: '1000ms', pad: 'zero' } }))
  .dsp('mfcc', mfcc({ numCepstral: 13, frameLength: 0.02, frameStride: 0.02, numFilters: 32, fftLength: 256 }))
  .learn(
    'classifier',
    classifier({
      from: ['mfcc'],
      layers: [
        L.conv1d({ filters: 32, kernel: 3 }),
        L.maxPool1d(2),
        L.conv1d({ filters: 64, kernel: 3 }),
        L.maxPool1d(2),
        L.conv1d({ filters: 64, kernel: 3 }),
        L.maxPool1d(2),
        L.dropout(0.25),
        L.flatten(),
        L.dense({ units: 10 }),
      ],
      epochs: 60,
      learningRate: 0.002,
      batchSize: 32,
      replicas: 2,
      schedule: 'cosine',
      augmentation: { specAugment: { timeMasks: 1, freqMasks: 1, maxWidth: 2 } },
    }),
  )
  .deploy(cpp(), tflite(), tfjs());
