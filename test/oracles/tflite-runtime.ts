/**
 * The official TFLite runtime as a test oracle: the emscripten build of TFLite (with XNNPACK) that
 * ships in `@tensorflow/tfjs-tflite` (devDependency). Its own `loadTFLiteModel` is browser-only,
 * so this calls the emscripten factory of `wasm/tflite_web_api_cc_simd.js` directly, handing it
 * the bytes of the .wasm beside it (without `wasmBinary` the factory tries to fetch the file path),
 * and drives the embind class `TFLiteWebModelRunner` the way the package's own client does.
 *
 *   const runtime = await loadTfliteRuntime();      // one wasm instance, shared
 *   const session = runtime.load(bytes);            // throws Error with the runtime's message
 *   session.inputs / session.outputs                // [{ name, shape, dtype }]
 *   const [y] = session.run([x]);                   // copies out of the wasm heap
 *   session.dispose();
 *
 * Single-threaded (numThreads 1). The runtime's "INFO: Created TensorFlow Lite XNNPACK delegate
 * for CPU." line is swallowed; every other message it prints goes to stderr, and messages printed
 * while a model loads are part of the load error.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export type TfliteDtype = 'int8' | 'uint8' | 'bool' | 'int16' | 'int32' | 'uint32' | 'float32' | 'float64';
export type TfliteArray = Int8Array | Uint8Array | Int16Array | Int32Array | Uint32Array | Float32Array | Float64Array;

export interface TfliteTensorInfo {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: TfliteDtype;
}

export interface TfliteSession {
  readonly inputs: readonly TfliteTensorInfo[];
  readonly outputs: readonly TfliteTensorInfo[];
  /** One inference. Each input's length must equal its tensor's element count; outputs are copies. */
  run(inputs: readonly ArrayLike<number>[]): TfliteArray[];
  dispose(): void;
}

export interface TfliteRuntime {
  /** Loads a .tflite flatbuffer; throws an Error carrying the runtime's message when it refuses it. */
  load(bytes: Uint8Array): TfliteSession;
}

// ---- the embind surface of tflite_web_api (only what is used here) -------------------------------

interface Deletable {
  delete(): void;
}
interface EmVector<T> extends Deletable {
  size(): number;
  get(i: number): T;
}
interface EmTensorInfo extends Deletable {
  readonly id: number;
  readonly dataType: TfliteDtype;
  readonly name: string;
  /** Comma-separated, e.g. "1,49,10,1". */
  readonly shape: string;
  /** A view of the tensor in the wasm heap (renew it after anything that may grow memory). */
  data(): TfliteArray;
}
interface EmRunner extends Deletable {
  GetInputs(): EmVector<EmTensorInfo>;
  GetOutputs(): EmVector<EmTensorInfo>;
  Infer(): boolean;
}
interface EmStatusOr<T> extends Deletable {
  ok(): boolean;
  errorMessage(): string;
  value(): T;
}
interface EmModule {
  HEAPU8: Uint8Array;
  _malloc(n: number): number;
  _free(p: number): void;
  TFLiteWebModelRunner: {
    CreateFromBufferAndOptions(ptr: number, len: number, options: { numThreads: number; enableProfiling: boolean; maxProfilingBufferEntries: number }): EmStatusOr<EmRunner>;
  };
}
type EmFactory = (overrides: { wasmBinary: Uint8Array; print?: (s: string) => void; printErr?: (s: string) => void }) => Promise<EmModule>;

const NOISE = /Created TensorFlow Lite XNNPACK delegate/;

let shared: Promise<TfliteRuntime> | undefined;

/** The runtime (one wasm instance per process, created on first call). */
export function loadTfliteRuntime(): Promise<TfliteRuntime> {
  shared ??= instantiate().catch((e: unknown) => {
    shared = undefined;
    throw e;
  });
  return shared;
}

async function instantiate(): Promise<TfliteRuntime> {
  const require = createRequire(import.meta.url);
  const jsPath = require.resolve('@tensorflow/tfjs-tflite/wasm/tflite_web_api_cc_simd.js');
  const wasmPath = jsPath.replace(/\.js$/, '.wasm');
  const factory = require(jsPath) as EmFactory;
  /** Set while a model loads: the runtime's messages become part of the load error. */
  let capture: string[] | undefined;
  const printErr = (s: string) => {
    if (NOISE.test(s) || s.trim() === '') return;
    if (capture) capture.push(s);
    else process.stderr.write(`[tflite] ${s}\n`);
  };
  const mod = await factory({ wasmBinary: new Uint8Array(readFileSync(wasmPath)), print: printErr, printErr });
  return {
    load(bytes) {
      const ptr = mod._malloc(bytes.length);
      if (!ptr) throw new Error(`official TFLite runtime: cannot allocate ${bytes.length} bytes for the model`);
      mod.HEAPU8.set(bytes, ptr);
      capture = [];
      let status: EmStatusOr<EmRunner> | undefined;
      let runner: EmRunner;
      try {
        status = mod.TFLiteWebModelRunner.CreateFromBufferAndOptions(ptr, bytes.length, { numThreads: 1, enableProfiling: false, maxProfilingBufferEntries: 1024 });
        if (!status.ok()) throw new Error(`official TFLite runtime refused the model: ${[status.errorMessage(), ...capture].join('\n')}`);
        runner = status.value();
        // a model that loads may still have printed warnings: pass them on
        for (const s of capture) process.stderr.write(`[tflite] ${s}\n`);
      } catch (e) {
        mod._free(ptr);
        throw e;
      } finally {
        status?.delete();
        capture = undefined;
      }
      return session(mod, runner, ptr);
    },
  };
}

function infos(v: EmVector<EmTensorInfo>): { info: TfliteTensorInfo; handle: EmTensorInfo }[] {
  try {
    return Array.from({ length: v.size() }, (_, i) => {
      const t = v.get(i);
      return { handle: t, info: { name: t.name, dtype: t.dataType, shape: t.shape === '' ? [] : t.shape.split(',').map(Number) } };
    });
  } finally {
    v.delete();
  }
}

function session(mod: EmModule, runner: EmRunner, modelPtr: number): TfliteSession {
  const ins = infos(runner.GetInputs());
  const outs = infos(runner.GetOutputs());
  let disposed = false;
  return {
    inputs: ins.map((t) => t.info),
    outputs: outs.map((t) => t.info),
    run(inputs) {
      if (disposed) throw new Error('official TFLite runtime: session used after dispose()');
      if (inputs.length !== ins.length) throw new Error(`official TFLite runtime: the model has ${ins.length} inputs, got ${inputs.length}`);
      inputs.forEach((x, i) => {
        const view = ins[i]!.handle.data();
        if (x.length !== view.length) throw new Error(`official TFLite runtime: input ${i} (${ins[i]!.info.name}, shape [${ins[i]!.info.shape.join(', ')}]) has ${view.length} elements, got ${x.length}`);
        view.set(x);
      });
      if (!runner.Infer()) throw new Error('official TFLite runtime: Infer() failed');
      return outs.map((t) => t.handle.data().slice());
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const t of [...ins, ...outs]) t.handle.delete();
      runner.delete();
      mod._free(modelPtr);
    },
  };
}
