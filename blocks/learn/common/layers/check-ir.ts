/**
 * Validate-time check that a layer list converts to the model IR: the IR fuses relu and relu6
 * and has a softmax op; sigmoid and tanh (allowed for training) have no int8 form here. Known
 * from params alone, so `impulse validate` reports it before any training.
 */
import { unsupportedLayer } from '../../../../core/model/errors.js';
import { presetLayers } from './expand.js';

const IR_ACTIVATIONS = new Set(['relu', 'relu6', 'softmax', 'linear']);

export function checkLayersConvert(spec: unknown): void {
  const list = typeof spec === 'string' ? presetLayers(spec) : Array.isArray(spec) ? spec : [];
  list.forEach((item, i) => {
    if (item === null || typeof item !== 'object') return;
    const [type, options] = Object.entries(item as Record<string, unknown>)[0] ?? [];
    const activation = options !== null && typeof options === 'object' ? (options as { activation?: unknown }).activation : undefined;
    if (typeof activation === 'string' && !IR_ACTIVATIONS.has(activation)) {
      throw unsupportedLayer(
        `layers[${i}] (${type}): activation '${activation}' cannot be expressed in the model IR, so this network could not be quantized or deployed`,
        'Use activation: relu or relu6 (or linear) on this layer.',
      );
    }
  });
}
