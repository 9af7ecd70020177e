/**
 * Raw float32 access to tensor storage for the two JS-hosted backends, so one typed-array kernel
 * body serves both:
 * - CPU keeps each tensor's values in a JS typed array (`backend.data.get(dataId).values`);
 * - WASM keeps them on the module heap (`backend.typedArrayFromHeap(info)` is a view, no copy).
 *
 * A heap view is invalidated when the WASM memory grows, which any allocation may cause: take views
 * after the allocations that precede their use, and do not keep them across kernel calls.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';

export type JsBackendName = 'cpu' | 'wasm';

export interface KernelArrays {
  readonly backendName: JsBackendName;
  /** The tensor's values as float32 (a view where possible; a converted copy for other dtypes). */
  read(t: TensorInfo): Float32Array;
  /** A new float32 tensor holding a copy of `values`. */
  output(shape: readonly number[], values: Float32Array | Float64Array): TensorInfo;
  /** A new, uninitialised float32 tensor; write it through `read` before anything else allocates. */
  alloc(shape: readonly number[]): TensorInfo;
  /** Releases a tensor this kernel made and does not return. */
  dispose(t: TensorInfo): void;
}

interface CpuBackendLike {
  data: { get(dataId: object): { values?: unknown } | undefined };
  makeTensorInfo(shape: number[], dtype: 'float32', values?: Float32Array): TensorInfo;
  disposeIntermediateTensorInfo(t: TensorInfo): void;
}

interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32', memoryOffset?: number, values?: Float32Array): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object): boolean;
}

function asFloat32(values: unknown, what: string): Float32Array {
  if (values instanceof Float32Array) return values;
  if (ArrayBuffer.isView(values) && !(values instanceof DataView)) {
    return Float32Array.from(values as unknown as ArrayLike<number>);
  }
  throw new Error(`gradient kernel: ${what} has no numeric storage`);
}

function toF32(values: Float32Array | Float64Array): Float32Array {
  return values instanceof Float32Array ? values : Float32Array.from(values);
}

export function kernelArrays(backendName: JsBackendName, backend: unknown): KernelArrays {
  if (backendName === 'cpu') {
    const b = backend as CpuBackendLike;
    return {
      backendName,
      read: (t) => asFloat32(b.data.get(t.dataId)?.values, `tensor [${t.shape.join(',')}]`),
      output: (shape, values) => b.makeTensorInfo([...shape], 'float32', toF32(values)),
      alloc: (shape) => b.makeTensorInfo([...shape], 'float32', new Float32Array(sizeOf(shape))),
      dispose: (t) => b.disposeIntermediateTensorInfo(t),
    };
  }
  const b = backend as WasmBackendLike;
  return {
    backendName,
    read: (t) => asFloat32(b.typedArrayFromHeap(t), `tensor [${t.shape.join(',')}]`),
    output: (shape, values) => b.makeOutput([...shape], 'float32', undefined, toF32(values)),
    alloc: (shape) => b.makeOutput([...shape], 'float32'),
    dispose: (t) => {
      b.disposeData(t.dataId);
    },
  };
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
