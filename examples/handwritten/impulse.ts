// The same impulse as impulse.yaml, in the typed TypeScript form. Both normalize to the
// same spec and the same cache keys: `impulse run examples/handwritten/impulse.ts` after
// running the YAML form is a no-op.
import { classifier, cpp, image, imageFeatures, impulse, layers as L, tfjs, tflite } from 'impulse-kit';

export default impulse({ name: 'handwritten', seed: 7 })
  .data({ source: 'dataset:mnist10k', split: { test: 0.2 } })
  .input(image({ width: 28, height: 28, colorDepth: 'Grayscale' }))
  .dsp('pixels', imageFeatures({ channels: 'Grayscale' }))
  .learn(
    'classifier',
    classifier({
      from: ['pixels'],
      layers: [
        L.conv2d({ filters: 32, kernel: 3 }),
        L.maxPool2d(2),
        L.conv2d({ filters: 64, kernel: 3 }),
        L.maxPool2d(2),
        L.dropout(0.25),
        L.flatten(),
        L.dense({ units: 10 }),
      ],
      epochs: 40,
      learningRate: 0.002,
      batchSize: 32,
      replicas: 2,
      schedule: 'cosine',
      validationSplit: 0.1,
      augmentation: { image: { shift: 2 } },
    }),
  )
  .deploy(cpp(), tflite(), tfjs());
