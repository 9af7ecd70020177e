/**
 * One IR op → one call of a portable C kernel (core/model/kernels/*.c): the kernel's params as a
 * `static const` struct (flash) holding exactly the constants the TS interpreter derives at prepare
 * time, and the call on tensors at fixed arena offsets.
 */
import { elementCount, type ModelIR, type Op, type TensorInfo } from '../../../core/model/ir.js';
import { prepareAddFloat, prepareAddInt8 } from '../../../core/model/kernels/add.js';
import { prepareConv2dFloat, prepareConv2dInt8 } from '../../../core/model/kernels/conv2d.js';
import { prepareConcat, preparePad, prepareQuantize } from '../../../core/model/kernels/data-movement.js';
import { prepareDepthwiseFloat, prepareDepthwiseInt8 } from '../../../core/model/kernels/depthwise-conv2d.js';
import { prepareFullyConnectedFloat, prepareFullyConnectedInt8 } from '../../../core/model/kernels/fully-connected.js';
import { preparePoolFloat, preparePoolInt8 } from '../../../core/model/kernels/pool.js';
import { prepareSoftmaxFloat, prepareSoftmaxInt8 } from '../../../core/model/kernels/softmax.js';
import { scaleOf } from '../../../core/model/kernels/quant-params.js';
import { cArrayBody, cFloat, cInt } from '../c-syntax.js';
import { optimizedScratchBytes } from './optimized/index.js';

/** The portable kernel files a call needs (each `<name>.c` + `<name>.h` in core/model/kernels). */
export type KernelFile =
  | 'conv2d_s8'
  | 'conv2d_f32'
  | 'depthwise_conv2d_s8'
  | 'depthwise_conv2d_f32'
  | 'fully_connected_s8'
  | 'fully_connected_f32'
  | 'pool_s8'
  | 'pool_f32'
  | 'softmax_s8'
  | 'softmax_f32'
  | 'add_s8'
  | 'add_f32'
  | 'data_movement'
  | 'quantize'
  | 'hybrid_f32';

export interface KernelCall {
  /** Kernel file whose header the model includes (none for an in-place reshape). */
  readonly kernel?: KernelFile;
  /** `static const` definitions the call uses (params struct, per-channel arrays). */
  readonly definitions: readonly string[];
  /** The C statement(s). */
  readonly call: string;
}

export interface CallContext {
  readonly model: ModelIR;
  /** Name prefix of this op's constants, e.g. `op3`. */
  readonly prefix: string;
  /** C expression of tensor `t`'s data: an arena pointer for activations, the weights array for constants. */
  tensor(t: number): string;
  /** Whether two tensors share their storage (an in-place reshape). */
  sameStorage(a: number, b: number): boolean;
  /** C expression of this op's scratch memory in the arena (see kernelScratchBytes). */
  scratch(): string;
}

/** Float activations with int8 weights: TFLite's hybrid conv and fully connected. */
function isHybrid(model: ModelIR, op: Op): boolean {
  return (op.op === 'conv2d' || op.op === 'fullyConnected') && model.tensors[op.inputs[0]!]!.dtype === 'float32' && model.tensors[op.inputs[1]!]!.dtype === 'int8';
}

/**
 * Arena bytes a kernel needs besides its tensors: the int8 copy of a hybrid op's input, or the
 * im2col columns of an optimized int8 convolution (optimized/index.ts). The optimized kernels'
 * scratch is counted unless `kernels` is 'portable' (the arena is sized for the default set, so a
 * caller that does not say which set it generates gets an arena that fits both).
 */
export function kernelScratchBytes(model: ModelIR, op: Op, kernels: 'portable' | 'optimized' = 'optimized'): number {
  if (isHybrid(model, op)) return elementCount(model.tensors[op.inputs[0]!]!.shape);
  return kernels === 'optimized' ? optimizedScratchBytes(model, op) : 0;
}

type Fields = Record<string, string | number>;

function struct(type: string, name: string, fields: Fields): string {
  const body = Object.entries(fields)
    .map(([k, v]) => `  .${k} = ${typeof v === 'number' ? cInt(v) : v},`)
    .join('\n');
  return `static const ${type} ${name} = {\n${body}\n};`;
}

function int32Array(name: string, values: Int32Array): string {
  return `static const int32_t ${name}[${values.length}] = {\n${cArrayBody(values, cInt, 8)}\n};`;
}

const geometry = (p: { inH: number; inW: number; outH: number; outW: number; kH: number; kW: number; strideH: number; strideW: number; padTop: number; padLeft: number }): Fields => ({
  in_h: p.inH,
  in_w: p.inW,
  out_h: p.outH,
  out_w: p.outW,
  k_h: p.kH,
  k_w: p.kW,
  stride_h: p.strideH,
  stride_w: p.strideW,
  pad_top: p.padTop,
  pad_left: p.padLeft,
});

const optionalBias = (ctx: CallContext, op: Op) => ((op.inputs[2] ?? -1) >= 0 ? ctx.tensor(op.inputs[2]!) : 'NULL');

export function kernelCall(ctx: CallContext, op: Op): KernelCall {
  const { model, prefix } = ctx;
  const t = (i: number): TensorInfo => model.tensors[i]!;
  const int8 = t(op.inputs[0]!).dtype === 'int8';
  const x = ctx.tensor(op.inputs[0]!);
  const y = ctx.tensor(op.outputs[0]!);
  const params = `${prefix}_params`;
  switch (op.op) {
    case 'conv2d':
    case 'depthwiseConv2d': {
      const kernel = op.op === 'conv2d' ? 'conv2d' : 'depthwise_conv2d';
      const w = ctx.tensor(op.inputs[1]!);
      if (int8) {
        const p = op.op === 'conv2d' ? prepareConv2dInt8(model, op) : prepareDepthwiseInt8(model, op);
        const fields: Fields = {
          ...geometry(p),
          in_c: p.inC,
          out_c: p.outC,
          ...('depthMultiplier' in p ? { depth_multiplier: p.depthMultiplier as number } : {}),
          dilation_h: p.dilationH,
          dilation_w: p.dilationW,
          input_offset: p.inputOffset,
          output_offset: p.outputOffset,
          act_min: p.actMin,
          act_max: p.actMax,
          multipliers: `${prefix}_multipliers`,
          shifts: `${prefix}_shifts`,
        };
        return {
          kernel: `${kernel}_s8`,
          definitions: [int32Array(`${prefix}_multipliers`, p.multipliers), int32Array(`${prefix}_shifts`, p.shifts), struct(`${kernel}_s8_params_t`, params, fields)],
          call: `${kernel}_s8(&${params}, ${x}, ${w}, ${optionalBias(ctx, op)}, ${y});`,
        };
      }
      if (op.op === 'depthwiseConv2d' && isHybridWeights(model, op)) throw new Error(`depthwise conv '${t(op.outputs[0]!).name}': hybrid (float activations, int8 weights) is not supported by the C generator`);
      const p = op.op === 'conv2d' ? prepareConv2dFloat(model, op) : prepareDepthwiseFloat(model, op);
      const fields: Fields = {
        ...geometry(p),
        in_c: p.inC,
        out_c: p.outC,
        ...('depthMultiplier' in p ? { depth_multiplier: p.depthMultiplier as number } : {}),
        dilation_h: p.dilationH,
        dilation_w: p.dilationW,
        act_min: floatBound(p.actMin),
        act_max: floatBound(p.actMax),
      };
      if (isHybrid(model, op)) {
        return {
          kernel: 'hybrid_f32',
          definitions: [struct('conv2d_f32_params_t', params, fields)],
          call: `conv2d_hybrid_f32(&${params}, ${cFloat(scaleOf(t(op.inputs[1]!)))}, ${x}, ${w}, ${optionalBias(ctx, op)}, (int8_t *)${ctx.scratch()}, ${y});`,
        };
      }
      return { kernel: `${kernel}_f32`, definitions: [struct(`${kernel}_f32_params_t`, params, fields)], call: `${kernel}_f32(&${params}, ${x}, ${w}, ${optionalBias(ctx, op)}, ${y});` };
    }
    case 'fullyConnected': {
      const w = ctx.tensor(op.inputs[1]!);
      if (int8) {
        const p = prepareFullyConnectedInt8(model, op);
        const fields: Fields = {
          rows: p.rows,
          in_units: p.inUnits,
          out_units: p.outUnits,
          input_offset: p.inputOffset,
          filter_offset: p.filterOffset,
          output_offset: p.outputOffset,
          act_min: p.actMin,
          act_max: p.actMax,
          per_unit: p.multipliers.length > 1 ? 1 : 0,
          multipliers: `${prefix}_multipliers`,
          shifts: `${prefix}_shifts`,
        };
        return {
          kernel: 'fully_connected_s8',
          definitions: [int32Array(`${prefix}_multipliers`, p.multipliers), int32Array(`${prefix}_shifts`, p.shifts), struct('fully_connected_s8_params_t', params, fields)],
          call: `fully_connected_s8(&${params}, ${x}, ${w}, ${optionalBias(ctx, op)}, ${y});`,
        };
      }
      const p = prepareFullyConnectedFloat(model, op);
      const fields: Fields = { rows: p.rows, in_units: p.inUnits, out_units: p.outUnits, act_min: floatBound(p.actMin), act_max: floatBound(p.actMax) };
      if (isHybrid(model, op)) {
        return {
          kernel: 'hybrid_f32',
          definitions: [struct('fully_connected_f32_params_t', params, fields)],
          call: `fully_connected_hybrid_f32(&${params}, ${cFloat(scaleOf(t(op.inputs[1]!)))}, ${x}, ${w}, ${optionalBias(ctx, op)}, (int8_t *)${ctx.scratch()}, ${y});`,
        };
      }
      return { kernel: 'fully_connected_f32', definitions: [struct('fully_connected_f32_params_t', params, fields)], call: `fully_connected_f32(&${params}, ${x}, ${w}, ${optionalBias(ctx, op)}, ${y});` };
    }
    case 'maxPool2d':
    case 'avgPool2d':
    case 'globalAvgPool': {
      const fn = op.op === 'maxPool2d' ? 'max_pool' : 'avg_pool';
      const p = int8 ? preparePoolInt8(model, op) : preparePoolFloat(model, op);
      const fields: Fields = { ...geometry(p), channels: p.channels, act_min: int8 ? p.actMin : floatBound(p.actMin), act_max: int8 ? p.actMax : floatBound(p.actMax) };
      const suffix = int8 ? 's8' : 'f32';
      return { kernel: `pool_${suffix}`, definitions: [struct(`pool_${suffix}_params_t`, params, fields)], call: `${fn}_${suffix}(&${params}, ${x}, ${y});` };
    }
    case 'reshape': {
      if (ctx.sameStorage(op.inputs[0]!, op.outputs[0]!)) return { definitions: [], call: '/* in place: the data is already laid out in the new shape */' };
      const bytes = elementCount(t(op.outputs[0]!).shape) * (int8 ? 1 : 4);
      return { definitions: [], call: `memmove(${y}, ${x}, ${bytes});` };
    }
    case 'softmax': {
      if (int8) {
        const p = prepareSoftmaxInt8(model, op);
        const fields: Fields = { rows: p.rows, depth: p.depth, input_multiplier: p.inputMultiplier, input_left_shift: p.inputLeftShift, diff_min: p.diffMin };
        return { kernel: 'softmax_s8', definitions: [struct('softmax_s8_params_t', params, fields)], call: `softmax_s8(&${params}, ${x}, ${y});` };
      }
      const p = prepareSoftmaxFloat(model, op);
      return { kernel: 'softmax_f32', definitions: [struct('softmax_f32_params_t', params, { rows: p.rows, depth: p.depth, beta: cFloat(p.beta) })], call: `softmax_f32(&${params}, ${x}, ${y});` };
    }
    case 'add': {
      const b = ctx.tensor(op.inputs[1]!);
      if (int8) {
        const p = prepareAddInt8(model, op);
        const fields: Fields = {
          size: p.size,
          left_shift: p.leftShift,
          input1_offset: p.input1Offset,
          input2_offset: p.input2Offset,
          output_offset: p.outputOffset,
          input1_multiplier: p.input1Multiplier,
          input1_shift: p.input1Shift,
          input2_multiplier: p.input2Multiplier,
          input2_shift: p.input2Shift,
          output_multiplier: p.outputMultiplier,
          output_shift: p.outputShift,
          act_min: p.actMin,
          act_max: p.actMax,
        };
        return { kernel: 'add_s8', definitions: [struct('add_s8_params_t', params, fields)], call: `add_s8(&${params}, ${x}, ${b}, ${y});` };
      }
      const p = prepareAddFloat(model, op);
      return { kernel: 'add_f32', definitions: [struct('add_f32_params_t', params, { size: p.size, act_min: floatBound(p.actMin), act_max: floatBound(p.actMax) })], call: `add_f32(&${params}, ${x}, ${b}, ${y});` };
    }
    case 'concat': {
      const p = prepareConcat(model, op);
      if (p.rescale) throw new Error(`concat '${t(op.outputs[0]!).name}': inputs with quantization params other than the output's are not supported by the C generator`);
      const elem = int8 ? 1 : 4;
      const definitions = [int32Array(`${prefix}_chunk_bytes`, Int32Array.from(p.chunks, (c) => c * elem))];
      const inputs = op.inputs.map((i) => `(const uint8_t *)${ctx.tensor(i)}`).join(', ');
      return {
        kernel: 'data_movement',
        definitions,
        call: `{\n    const uint8_t *const inputs[${op.inputs.length}] = {${inputs}};\n    concat_bytes(${p.outer}, ${op.inputs.length}, inputs, ${prefix}_chunk_bytes, (uint8_t *)${y});\n  }`,
      };
    }
    case 'pad': {
      const p = preparePad(model, op);
      const four = (a: readonly number[]) => `{${[...Array(4 - a.length).fill(a === p.before ? 0 : 1), ...a].join(', ')}}`;
      if (p.inShape.length > 4) throw new Error(`pad '${t(op.outputs[0]!).name}': rank ${p.inShape.length} > 4 is not supported by the C generator`);
      const fields: Fields = { in_shape: four(p.inShape), out_shape: four(p.outShape), before: four(p.before), elem_bytes: int8 ? 1 : 4 };
      const value = int8 ? `static const int8_t ${prefix}_pad_value = ${p.value};` : `static const float ${prefix}_pad_value = 0.0f;`;
      return { kernel: 'data_movement', definitions: [value, struct('pad_params_t', params, fields)], call: `pad_bytes(&${params}, (const uint8_t *)${x}, (const uint8_t *)&${prefix}_pad_value, (uint8_t *)${y});` };
    }
    case 'quantize':
    case 'dequantize': {
      const p = prepareQuantize(model, op);
      if (p.kind === 'quantize') return { kernel: 'quantize', definitions: [], call: `quantize_f32_s8(${p.size}, ${cFloat(p.scale)}, ${p.zeroPoint}, ${x}, ${y});` };
      if (p.kind === 'dequantize') return { kernel: 'quantize', definitions: [], call: `dequantize_s8_f32(${p.size}, ${cFloat(p.scale)}, ${p.zeroPoint}, ${x}, ${y});` };
      return { kernel: 'quantize', definitions: [], call: `requantize_s8(${p.size}, ${p.inputZeroPoint}, ${p.outputZeroPoint}, ${cInt(p.multiplier)}, ${p.shift}, ${x}, ${y});` };
    }
  }
}

function isHybridWeights(model: ModelIR, op: Op): boolean {
  return model.tensors[op.inputs[0]!]!.dtype === 'float32' && model.tensors[op.inputs[1]!]!.dtype === 'int8';
}

/** ±Infinity bounds of an unbounded float activation as FLT_MAX (no INFINITY needed in flash structs). */
function floatBound(v: number): string {
  if (v === Infinity) return 'FLT_MAX';
  if (v === -Infinity) return '-FLT_MAX';
  return cFloat(v);
}
