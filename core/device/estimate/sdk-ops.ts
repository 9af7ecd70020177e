/**
 * Which ops of a generated network run an optimized (Armv7E-M) kernel, read from the generated
 * `<model>.c`: an optimized call is a generated function `op<N>_<family>(…)` (family: conv,
 * depthwise, fully_connected, pool, add …), a portable one calls a kernel of core/model/kernels.
 * Each family has cost rows of its own (a SIMD matrix product costs differently per MAC).
 */
import type { GeneratedSdk } from '../../../generators/cpp/sdk/generate.js';
import type { SdkSpec } from '../../../generators/cpp/sdk/spec.js';

/** Op index → optimized kernel family, from the source of the network's C file. */
export function optimizedFamilies(source: string): Map<number, string> {
  const out = new Map<number, string>();
  const starts = [...source.matchAll(/\/\* op (\d+): /g)];
  starts.forEach((m, i) => {
    const chunk = source.slice(m.index!, starts[i + 1]?.index ?? source.length);
    const body = chunk.slice(chunk.indexOf('*/') + 2);
    const call = new RegExp(`\\bop${m[1]}_([a-z][a-z0-9_]*)\\s*\\(`).exec(body);
    if (call) out.set(Number(m[1]), call[1]!);
  });
  return out;
}

/** The optimized families of the SDK's network (empty without a network or optimized ops). */
export function sdkOptimizedFamilies(spec: SdkSpec, sdk: GeneratedSdk): Map<number, string> {
  const net = spec.network;
  const source = net ? sdk.files.get(`src/${net.name}.c`) : undefined;
  return typeof source === 'string' ? optimizedFamilies(source) : new Map();
}
