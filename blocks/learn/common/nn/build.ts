/** Resolved layers → a TF.js Sequential model with seeded initialisers and stable layer names. */
import type { LayersModel, Sequential } from '@tensorflow/tfjs-layers';
import type { LoadedTf } from '../tf/load.js';
import type { ExpandedModel, ResolvedLayer } from '../layers/expand.js';
import { Rng } from '../random.js';

export function buildModel(loaded: LoadedTf, expanded: ExpandedModel, seed: number, name: string): Sequential {
  const { layers: tfl } = loaded;
  const L = tfl.layers;
  const rng = Rng.for(seed, 'initialisers');
  const init = () => tfl.initializers.glorotUniform({ seed: rng.seed() });
  const model = tfl.sequential({ name });
  expanded.layers.forEach((layer: ResolvedLayer, i) => {
    const base = { name: layer.name, ...(i === 0 ? { inputShape: expanded.inputShape } : {}) };
    switch (layer.type) {
      case 'dense':
        model.add(L.dense({ ...base, units: layer.units, activation: layer.activation, kernelInitializer: init() }));
        break;
      case 'conv1d':
        model.add(
          L.conv1d({
            ...base,
            filters: layer.filters,
            kernelSize: layer.kernel,
            strides: layer.strides,
            padding: layer.padding,
            activation: layer.activation,
            kernelInitializer: init(),
          }),
        );
        break;
      case 'conv2d':
        model.add(
          L.conv2d({
            ...base,
            filters: layer.filters,
            kernelSize: layer.kernel,
            strides: layer.strides,
            padding: layer.padding,
            activation: layer.activation,
            kernelInitializer: init(),
          }),
        );
        break;
      case 'depthwiseConv2d':
        model.add(
          L.depthwiseConv2d({
            ...base,
            kernelSize: layer.kernel,
            depthMultiplier: layer.depthMultiplier,
            strides: layer.strides,
            padding: layer.padding,
            activation: layer.activation,
            depthwiseInitializer: init(),
          }),
        );
        break;
      case 'separableConv2d':
        model.add(
          L.separableConv2d({
            ...base,
            filters: layer.filters,
            kernelSize: layer.kernel,
            depthMultiplier: layer.depthMultiplier,
            strides: layer.strides,
            padding: layer.padding,
            activation: layer.activation,
            depthwiseInitializer: init(),
            pointwiseInitializer: init(),
          }),
        );
        break;
      case 'maxPool1d':
        model.add(L.maxPooling1d({ ...base, poolSize: layer.poolSize, strides: layer.strides, padding: layer.padding }));
        break;
      case 'avgPool1d':
        model.add(L.averagePooling1d({ ...base, poolSize: layer.poolSize, strides: layer.strides, padding: layer.padding }));
        break;
      case 'maxPool2d':
        model.add(L.maxPooling2d({ ...base, poolSize: layer.poolSize, strides: layer.strides, padding: layer.padding }));
        break;
      case 'avgPool2d':
        model.add(L.averagePooling2d({ ...base, poolSize: layer.poolSize, strides: layer.strides, padding: layer.padding }));
        break;
      case 'globalAvgPool1d':
        model.add(L.globalAveragePooling1d(base));
        break;
      case 'globalAvgPool2d':
        model.add(L.globalAveragePooling2d(base));
        break;
      case 'flatten':
        model.add(L.flatten(base));
        break;
      case 'reshape':
        model.add(L.reshape({ ...base, targetShape: layer.targetShape }));
        break;
      case 'dropout':
        // The seed is replaced before every step by the training loop (seeded, different masks per step).
        model.add(L.dropout({ ...base, rate: layer.rate, seed: rng.seed() }));
        break;
      case 'batchNorm':
        model.add(L.batchNormalization({ ...base, momentum: layer.momentum, epsilon: layer.epsilon }));
        break;
    }
  });
  const got = model.outputs[0]!.shape.slice(1);
  if (JSON.stringify(got) !== JSON.stringify(expanded.outputShape)) {
    throw new Error(`model output shape [${got.join(', ')}] differs from the planned [${expanded.outputShape.join(', ')}]`);
  }
  return model;
}

/** Dropout layers of a model, whose seed the training loop sets per step. */
export function dropoutLayers(model: LayersModel): Array<{ seed?: number }> {
  return model.layers.filter((l) => l.getClassName() === 'Dropout') as unknown as Array<{ seed?: number }>;
}

/** One line per layer: name, output shape, parameters. */
export function summary(model: LayersModel): string[] {
  return model.layers.map((l) => {
    const shape = JSON.stringify((l.outputShape as number[]).slice(1));
    return `  ${l.name.padEnd(22)} ${shape.padEnd(16)} ${l.countParams()} params`;
  });
}
