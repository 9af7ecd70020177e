/**
 * A model IR → C: `<name>.c` with one kernel call per op in execution order (each preceded by a
 * comment naming the op, its shapes and quantization, each with its params as a `static const`
 * struct), `<name>_weights.c` with every constant tensor as a `const` array (flash), and
 * `<name>.h` with the invoke function and where the model's input and output live in the arena.
 *
 * Tensors sit at fixed offsets of the caller's arena (from the memory planner); nothing is
 * allocated, nothing is interpreted at run time.
 */
import { bytesPerElement, elementCount, type ModelIR } from '../../../core/model/ir.js';
import { constantData } from '../../../core/model/tensor-data.js';
import { cArrayBody, cCommentText, cFloat, cInt } from '../c-syntax.js';
import { describeOp, describeTensor } from './describe.js';
import { kernelCall, type CallContext, type KernelFile } from './kernel-calls.js';
import { optimizedCall } from './optimized/index.js';

/** portable: the generic kernels (any C99 target); optimized: Armv7E-M SIMD where an op allows it. */
export type KernelSet = 'portable' | 'optimized';

export interface TensorPlacement {
  /** Op indices in the order they run. */
  readonly order: readonly number[];
  /** Arena byte offset of every non-constant tensor. */
  readonly offsets: ReadonlyMap<number, number>;
  /** Arena byte offset of the scratch memory of ops that need some (kernelScratchBytes). */
  readonly scratchOffsets: ReadonlyMap<number, number>;
}

export interface EmittedModel {
  /** File name → content (`<name>.h`, `<name>.c`, `<name>_weights.h`, `<name>_weights.c`). */
  readonly files: Map<string, string>;
  /** Portable kernels the model calls. */
  readonly kernels: ReadonlySet<KernelFile>;
  /** Extra C files of optimized calls (path under src/ → content). */
  readonly extraFiles: ReadonlyMap<string, string>;
  /** Ops that run an optimized kernel. */
  readonly optimizedOps: number;
  readonly weightsBytes: number;
}

const C_TYPE = { float32: 'float', int8: 'int8_t', uint8: 'uint8_t', int16: 'int16_t', int32: 'int32_t' } as const;

export function emitModel(model: ModelIR, name: string, placement: TensorPlacement, title: string, kernelSet: KernelSet = 'portable'): EmittedModel {
  const upper = name.toUpperCase();
  const constName = (t: number) => `${name}_t${t}`;
  const isConst = (t: number) => model.tensors[t]!.data !== undefined;
  const pointer = (t: number) => {
    if (isConst(t)) return constName(t);
    const offset = placement.offsets.get(t);
    if (offset === undefined) throw new Error(`tensor ${t} ('${model.tensors[t]!.name}') has no arena offset`);
    return `(${C_TYPE[model.tensors[t]!.dtype]} *)(arena + ${offset})`;
  };
  const kernels = new Set<KernelFile>();
  const extraFiles = new Map<string, string>();
  const includes = new Set<string>();
  let optimizedOps = 0;
  /** Constant tensors some call reads from the weights file (optimized calls may carry rearranged copies instead). */
  const readConstants = new Set<number>();
  let ownConstantBytes = 0;
  const definitions: string[] = [];
  const calls: string[] = [];
  for (const index of placement.order) {
    const op = model.ops[index]!;
    const ctx: CallContext = {
      model,
      prefix: `op${index}`,
      tensor: pointer,
      sameStorage: (a, b) => placement.offsets.get(a) === placement.offsets.get(b),
      scratch: () => `(arena + ${placement.scratchOffsets.get(index)})`,
    };
    const optimized = kernelSet === 'optimized' ? optimizedCall(ctx, op) : undefined;
    const call = optimized ?? kernelCall(ctx, op);
    for (const t of op.inputs) if (t >= 0 && isConst(t) && !optimized?.ownConstants?.includes(t)) readConstants.add(t);
    if (optimized) {
      optimizedOps++;
      ownConstantBytes += optimized.constantBytes ?? 0;
      for (const [path, text] of optimized.files) {
        if (extraFiles.has(path) && extraFiles.get(path) !== text) throw new Error(`two optimized calls bring different versions of ${path}`);
        extraFiles.set(path, text);
        if (path.endsWith('.h')) includes.add(path);
      }
    }
    if (call.kernel) kernels.add(call.kernel);
    definitions.push(...call.definitions);
    const io = [
      ...op.inputs.filter((t) => t >= 0).map((t) => `in  t${t} ${describeTensor(model.tensors[t]!)}${isConst(t) ? ' (constant)' : ` @ arena + ${placement.offsets.get(t)}`}`),
      ...op.outputs.map((t) => `out t${t} ${describeTensor(model.tensors[t]!)} @ arena + ${placement.offsets.get(t)}`),
    ];
    calls.push(`  /* op ${index}: ${cCommentText(describeOp(model, op))}\n${io.map((l) => `   *   ${cCommentText(l)}`).join('\n')} */\n  ${call.call}`);
  }

  const constants = model.tensors.flatMap((t, i) => (t.data ? [i] : []));
  const usedConstants = constants.filter((i) => readConstants.has(i));
  const weightsBytes = ownConstantBytes + usedConstants.reduce((n, i) => n + elementCount(model.tensors[i]!.shape) * bytesPerElement(model.tensors[i]!.dtype), 0);
  const declare = (i: number) => `extern const ${C_TYPE[model.tensors[i]!.dtype]} ${constName(i)}[${elementCount(model.tensors[i]!.shape)}];`;
  const define = (i: number) => {
    const t = model.tensors[i]!;
    const data = constantData(model, i);
    const format = t.dtype === 'float32' ? cFloat : cInt;
    return `/* t${i} '${cCommentText(t.name)}': ${cCommentText(describeTensor(t))} */\nconst ${C_TYPE[t.dtype]} ${constName(i)}[${data.length}] = {\n${cArrayBody(data, format, t.dtype === 'float32' ? 6 : 16)}\n};`;
  };

  const input = model.tensors[model.inputs[0]!]!;
  const output = model.tensors[model.outputs[0]!]!;
  const header = `/* ${name}.h — ${cCommentText(title)} (generated by impulse-kit). */
#ifndef ${upper}_H
#define ${upper}_H

#include <stdint.h>

/* Input: ${cCommentText(describeTensor(input))} */
#define ${upper}_INPUT_OFFSET ${placement.offsets.get(model.inputs[0]!)}
#define ${upper}_INPUT_SIZE ${elementCount(input.shape)}
/* Output: ${cCommentText(describeTensor(output))} */
#define ${upper}_OUTPUT_OFFSET ${placement.offsets.get(model.outputs[0]!)}
#define ${upper}_OUTPUT_SIZE ${elementCount(output.shape)}

/* Runs the network on the input at arena + ${upper}_INPUT_OFFSET; the output is left at arena + ${upper}_OUTPUT_OFFSET. */
void ${name}_invoke(uint8_t *arena);

#endif
`;
  const source = `/* ${name}.c — ${cCommentText(title)}: ${model.ops.length} ops (generated by impulse-kit). */
#include <float.h>
#include <stddef.h>
#include <string.h>
#include "${name}.h"
#include "${name}_weights.h"
${[...[...kernels].sort().map((k) => `kernels/${k}.h`), ...[...includes].sort()].map((h) => `#include "${h}"`).join('\n')}

${definitions.join('\n\n')}

void ${name}_invoke(uint8_t *arena) {
${calls.join('\n\n')}
}
`;
  const weightsHeader = `/* ${name}_weights.h — constant tensors of ${cCommentText(title)} (generated by impulse-kit). */
#ifndef ${upper}_WEIGHTS_H
#define ${upper}_WEIGHTS_H

#include <stdint.h>

${usedConstants.map(declare).join('\n')}

#endif
`;
  const weights = `/* ${name}_weights.c — ${weightsBytes} bytes of constant tensors of ${cCommentText(title)} (generated by impulse-kit). */
#include "${name}_weights.h"

${usedConstants.map(define).join('\n\n')}
`;
  return {
    files: new Map([
      [`${name}.h`, header],
      [`${name}.c`, source],
      [`${name}_weights.h`, weightsHeader],
      [`${name}_weights.c`, weights],
    ]),
    kernels,
    extraFiles,
    optimizedOps,
    weightsBytes,
  };
}
