/**
 * Identity that shares its input's storage (reference-counted), as the CPU backend's does. The
 * WASM backend's copies the whole tensor, and TF.js runs an Identity for every tensor a gradient
 * saves for the backward pass (engine.clone): for the handwritten example's conv net that was 32
 * full copies of activations per training step (~1 ms of ~38). Tensors are immutable in TF.js, so
 * sharing is safe — the only kernels here that write into an input (ImpulseAdamUpdate's moments,
 * ImpulseCrossEntropy's accumulator) get tensors that nothing clones.
 */
import type { KernelFunc } from '@tensorflow/tfjs-core';
import type { TfCore } from '../load.js';
import type { JsBackendName } from './access.js';

interface RefCountingBackend {
  incRef(dataId: object): void;
}

export function makeIdentityShared(_tf: TfCore, _backend: JsBackendName): KernelFunc {
  return ({ inputs, backend }) => {
    const x = inputs['x'];
    if (x === undefined) throw new Error('Identity: needs input x');
    (backend as unknown as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
