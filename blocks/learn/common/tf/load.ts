/**
 * Lazy TF.js loading. Nothing at module top level imports TF.js: commands that train nothing
 * (validate, graph, status, a cached run) must not pay for it.
 *
 * Backend order: @tensorflow/tfjs-node (optional dependency, native) → WASM (SIMD) → CPU (pure JS).
 * IMPULSE_TF_BACKEND=node|wasm|cpu forces one.
 */
import { createRequire } from 'node:module';
import path from 'node:path';

export type TfCore = typeof import('@tensorflow/tfjs-core');
export type TfLayers = typeof import('@tensorflow/tfjs-layers');
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface LoadedTf {
  readonly tf: TfCore;
  readonly layers: TfLayers;
  readonly backend: BackendName;
}

let loading: Promise<LoadedTf> | undefined;

export function loadTf(): Promise<LoadedTf> {
  loading ??= loadOnce();
  return loading;
}

function wanted(): readonly BackendName[] {
  const forced = process.env['IMPULSE_TF_BACKEND'];
  if (forced === 'node' || forced === 'tensorflow') return ['tensorflow'];
  if (forced === 'wasm') return ['wasm'];
  if (forced === 'cpu') return ['cpu'];
  return ['tensorflow', 'wasm', 'cpu'];
}

async function loadOnce(): Promise<LoadedTf> {
  const order = wanted();
  const tf = await import('@tensorflow/tfjs-core');
  const layers = await import('@tensorflow/tfjs-layers');
  for (const name of order) {
    if (await tryBackend(tf, name)) {
      const { registerGradientKernels } = await import('./kernels/register.js');
      registerGradientKernels(tf, name);
      return { tf, layers, backend: name };
    }
  }
  throw new Error(`no TF.js backend could be initialised (tried ${order.join(', ')})`);
}

/**
 * Switches the loaded TF.js to backend `name` (importing its module and registering its gradient
 * kernels), for tests and benchmarks that compare backends in one process. Returns undefined when the
 * backend cannot be initialised here. The `backend` field of earlier `loadTf()` results is not updated.
 */
export async function switchBackend(name: BackendName): Promise<LoadedTf | undefined> {
  const { tf, layers } = await loadTf();
  if (!(await tryBackend(tf, name))) return undefined;
  const { registerGradientKernels } = await import('./kernels/register.js');
  registerGradientKernels(tf, name);
  return { tf, layers, backend: name };
}

/** Backends whose module was imported and set up here (the WASM paths may be set only once). */
const initialised = new Set<BackendName>();

async function tryBackend(tf: TfCore, name: BackendName): Promise<boolean> {
  if (initialised.has(name)) return tf.setBackend(name);
  try {
    if (name === 'tensorflow') {
      // Registers the 'tensorflow' backend as a side effect; absent when its install failed.
      await import('@tensorflow/tfjs-node' as string);
    } else if (name === 'wasm') {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const require = createRequire(import.meta.url);
      const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
      wasm.setWasmPaths(dir + path.sep);
    } else {
      await import('@tensorflow/tfjs-backend-cpu');
    }
    const ok = await tf.setBackend(name);
    if (ok) initialised.add(name);
    return ok;
  } catch {
    return false;
  }
}
