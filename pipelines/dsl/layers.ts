/** `layers as L`: typed constructors for classifier layer lists (the same objects YAML writes). */
import type {
  Conv1dOptions,
  Conv2dOptions,
  DenseOptions,
  DepthwiseConv2dOptions,
  LayerSpec,
  Pool1dOptions,
  Pool2dOptions,
  SeparableConv2dOptions,
} from '../../blocks/learn/common/layers/schema.js';

export const layers = {
  dense: (o: DenseOptions): LayerSpec => ({ dense: o }),
  conv1d: (o: Conv1dOptions): LayerSpec => ({ conv1d: o }),
  conv2d: (o: Conv2dOptions): LayerSpec => ({ conv2d: o }),
  depthwiseConv2d: (o: DepthwiseConv2dOptions = {}): LayerSpec => ({ depthwiseConv2d: o }),
  separableConv2d: (o: SeparableConv2dOptions): LayerSpec => ({ separableConv2d: o }),
  maxPool1d: (o: Pool1dOptions): LayerSpec => ({ maxPool1d: o }),
  maxPool2d: (o: Pool2dOptions): LayerSpec => ({ maxPool2d: o }),
  avgPool1d: (o: Pool1dOptions): LayerSpec => ({ avgPool1d: o }),
  avgPool2d: (o: Pool2dOptions): LayerSpec => ({ avgPool2d: o }),
  globalAvgPool: (): LayerSpec => ({ globalAvgPool: {} }),
  flatten: (): LayerSpec => ({ flatten: {} }),
  reshape: (shape: readonly number[]): LayerSpec => ({ reshape: { shape } }),
  dropout: (rate: number): LayerSpec => ({ dropout: rate }),
  batchNorm: (o: { momentum?: number; epsilon?: number } = {}): LayerSpec => ({ batchNorm: o }),
};

export type { LayerSpec };
