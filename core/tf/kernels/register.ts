import type { BackendName, TfCore } from '../load.js';

/**
 * Registers gradient kernels that stock TF.js lacks or runs slowly on a backend
 * (conv filter gradients on WASM and CPU, depthwise gradients on WASM). Idempotent.
 */
export function registerGradientKernels(_tf: TfCore, _backend: BackendName): void {
  // Filled in by the kernels work (issue #4).
}
