/**
 * One operator of a .tflite file while it is mapped to an IR op: its tensors (checked), its
 * builtin options table, and the errors that name it ("operator 7 (CONV_2D v3): …").
 */
import type { ImpulseError } from '../../errors/impulse-error.js';
import { badTflite, unsupportedOp } from '../errors.js';
import type { FusedActivation, Padding } from '../ir.js';
import type { Table, TableFields } from './flatbuffer.js';
import type { FileTensor, TensorTable } from './read-tensors.js';
import * as S from './schema.js';

/** An operator as stored in the file. */
export interface FileOp {
  readonly index: number;
  readonly code: number;
  readonly version: number;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly table: Table;
}

/** The two numeric kinds of activations the IR computes with. */
export type Kind = 'float32' | 'int8';

const TYPE_HINT = 'Convert the model as float32, or with full-integer int8 quantization (int8 activations, int8 weights, int32 biases).';

export class OpContext {
  readonly name: string;
  readonly where: string;

  constructor(
    readonly op: FileOp,
    private readonly tensors: TensorTable,
    private readonly file: string,
  ) {
    this.name = S.builtinOperatorName(op.code);
    this.where = `operator ${op.index} (${this.name} v${op.version})`;
  }

  bad(what: string): ImpulseError {
    return badTflite(this.file, `${this.where}: ${what}`);
  }

  unsupported(what: string, hint: string): ImpulseError {
    return unsupportedOp(this.file, `${this.where}: ${what}`, hint);
  }

  /** Checks the numbers of inputs and outputs. */
  arity(minInputs: number, maxInputs: number): void {
    const n = this.op.inputs.length;
    if (n < minInputs || n > maxInputs) {
      throw this.bad(`has ${n} inputs, expected ${minInputs === maxInputs ? minInputs : `${minInputs} to ${maxInputs}`}`);
    }
    if (this.op.outputs.length !== 1) throw this.bad(`has ${this.op.outputs.length} outputs, expected 1`);
    this.op.inputs.forEach((t, slot) => {
      if (t < 0 && !(t === -1 && slot === 2 && maxInputs === 3)) throw this.bad(`input ${slot} is tensor ${t}; only the bias may be absent (-1)`);
    });
  }

  /** Input `slot` (undefined for an absent optional input). */
  input(slot: number): FileTensor | undefined {
    const t = this.op.inputs[slot];
    if (t === undefined || t === -1) return undefined;
    return this.tensors.get(t, `${this.where} input ${slot}`);
  }

  /** A required input. */
  in(slot: number): FileTensor {
    const t = this.input(slot);
    if (!t) throw this.bad(`input ${slot} is missing`);
    return t;
  }

  out(): FileTensor {
    const t = this.tensors.get(this.op.outputs[0]!, `${this.where} output`);
    if (t.data) throw this.bad(`its output, tensor ${t.index} '${t.name}', is a constant`);
    return t;
  }

  /** The builtin options table, or undefined when the file has none (the op then runs on defaults). */
  options(expected: number, fields: TableFields, tableName: string): Table | undefined {
    const type = this.op.table.uint8(S.Operator.builtin_options_type, S.BuiltinOptions.NONE);
    if (type === S.BuiltinOptions.NONE) return undefined;
    if (type !== expected) throw this.bad(`carries builtin options of union type ${type}, expected ${tableName} (${expected})`);
    return this.op.table.table(S.Operator.builtin_options, fields, `${this.where} ${tableName}`);
  }

  activation(code: number): FusedActivation {
    switch (code) {
      case S.ActivationFunctionType.NONE:
        return 'none';
      case S.ActivationFunctionType.RELU:
        return 'relu';
      case S.ActivationFunctionType.RELU6:
        return 'relu6';
      default: {
        const name = Object.entries(S.ActivationFunctionType).find(([, v]) => v === code)?.[0] ?? `activation ${code}`;
        throw this.unsupported(`fused activation ${name} is not supported (only NONE, RELU and RELU6)`, 'Use relu or relu6 activations, or none.');
      }
    }
  }

  padding(code: number): Padding {
    if (code === S.Padding.SAME) return 'same';
    if (code === S.Padding.VALID) return 'valid';
    throw this.bad(`padding ${code} is neither SAME (0) nor VALID (1)`);
  }

  /** A positive option value (strides, filter sizes, dilation factors). */
  positive(value: number, what: string): number {
    if (!Number.isInteger(value) || value < 1) throw this.bad(`${what} is ${value}; it must be at least 1`);
    return value;
  }

  /** The kind of an activation tensor (float32, or int8 quantized per tensor); anything else is unsupported. */
  kind(t: FileTensor, role: string): Kind {
    if (t.dtype === 'float32') return 'float32';
    if (t.dtype === 'int8') {
      if (!t.quant) throw this.unsupported(`${role} tensor ${t.index} '${t.name}' is INT8 without quantization parameters`, TYPE_HINT);
      if (t.quant.scale.length > 1) throw this.unsupported(`${role} tensor ${t.index} '${t.name}' is quantized per channel`, TYPE_HINT);
      return 'int8';
    }
    throw this.unsupported(`${role} tensor ${t.index} '${t.name}' is ${S.tensorTypeName(t.type)}; only FLOAT32 and INT8 activations are supported`, TYPE_HINT);
  }

  /** Checks that all tensors have one kind; returns it. */
  sameKind(tensors: readonly { t: FileTensor; role: string }[]): Kind {
    const kinds = tensors.map(({ t, role }) => this.kind(t, role));
    if (kinds.some((k) => k !== kinds[0])) {
      throw this.unsupported(`mixes tensor types (${tensors.map(({ role }, i) => `${role} ${kinds[i]}`).join(', ')})`, TYPE_HINT);
    }
    return kinds[0]!;
  }

  /** The shape of `t` as a rank-4 NHWC batch-1 tensor; anything else is a bad file. */
  nhwc(t: FileTensor, role: string): readonly [number, number, number, number] {
    if (t.shape.length !== 4 || t.shape[0] !== 1) throw this.bad(`${role} tensor ${t.index} '${t.name}' has shape [${t.shape.join(', ')}], expected [1, height, width, channels]`);
    return t.shape as unknown as [number, number, number, number];
  }

  /** The constant data of a tensor as integers (int32 or int64 tensors). */
  constantInts(t: FileTensor, role: string): number[] {
    if (!t.data) throw this.unsupported(`${role} tensor ${t.index} '${t.name}' is computed at run time; only a constant is supported`, 'Convert the model with constant shapes and paddings.');
    const view = new DataView(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    if (t.type === S.TensorType.INT32) return Array.from({ length: t.data.length / 4 }, (_, i) => view.getInt32(4 * i, true));
    if (t.type === S.TensorType.INT64) {
      if (t.data.length !== 8 * t.shape.reduce((a, b) => a * b, 1)) throw this.bad(`${role} tensor ${t.index} '${t.name}' holds ${t.data.length} bytes, not the int64 values its shape [${t.shape.join(', ')}] needs`);
      return Array.from({ length: t.data.length / 8 }, (_, i) => Number(view.getBigInt64(8 * i, true)));
    }
    throw this.bad(`${role} tensor ${t.index} '${t.name}' is ${S.tensorTypeName(t.type)}, expected INT32 or INT64`);
  }
}
