/**
 * Tiny hand-made .tflite files for reader tests: the flatbuffers Builder driven directly from the
 * schema facts, independent of our writer, so a test can make what the writer never would (an op
 * the IR lacks, a custom op, two subgraphs, an index out of range, data after the flatbuffer).
 */
import { Builder } from 'flatbuffers';
import * as S from '../../core/model/tflite/schema.js';

export interface TinyTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly type: number;
  readonly buffer?: number;
  readonly quant?: { readonly scale: readonly number[]; readonly zeroPoint: readonly number[]; readonly axis?: number };
}

export interface TinyOp {
  readonly opcode: number;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly optionsType?: number;
  /** Writes the options table; called before the Operator table starts. */
  readonly options?: (b: Builder) => number;
}

export interface TinyModel {
  readonly opcodes: readonly { readonly code: number; readonly version: number; readonly custom?: string }[];
  readonly tensors: readonly TinyTensor[];
  /** Buffers after the empty buffer 0 (index 1 on); `tail` stores the data after the flatbuffer. */
  readonly buffers?: readonly { readonly data?: Uint8Array; readonly tail?: Uint8Array; readonly tailOffset?: number }[];
  readonly ops: readonly TinyOp[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly subgraphs?: number;
  readonly identifier?: string;
}

const ints = (b: Builder, v: readonly number[]) => {
  b.startVector(4, v.length, 4);
  for (let i = v.length - 1; i >= 0; i--) b.addInt32(v[i]!);
  return b.endVector();
};
const offsets = (b: Builder, v: readonly number[]) => {
  b.startVector(4, v.length, 4);
  for (let i = v.length - 1; i >= 0; i--) b.addOffset(v[i]!);
  return b.endVector();
};

/** The file; buffers with `tail` data get offset/size pointing after the flatbuffer (schema 3c). */
export function buildTflite(m: TinyModel): Uint8Array {
  const b = new Builder(1024);
  const buffers = m.buffers ?? [];
  // tail data goes after the flatbuffer: its offset is only known after finishing, so two passes
  const tailBytes = buffers.reduce((n, x) => n + (x.tail?.length ?? 0), 0);
  const build = (flatSize: number): Uint8Array => {
    b.clear();
    let tailAt = flatSize;
    const bufferTables = [undefined, ...buffers].map((x) => {
      if (x?.data) {
        const data = b.createByteVector(x.data);
        b.startObject(S.Buffer.COUNT);
        b.addFieldOffset(S.Buffer.data, data, 0);
        return b.endObject();
      }
      b.startObject(S.Buffer.COUNT);
      if (x?.tail) {
        b.addFieldInt64(S.Buffer.offset, BigInt(x.tailOffset ?? tailAt), 0n);
        b.addFieldInt64(S.Buffer.size, BigInt(x.tail.length), 0n);
        tailAt += x.tail.length;
      }
      return b.endObject();
    });
    const tensors = m.tensors.map((t) => {
      const shape = ints(b, t.shape);
      const name = b.createString(t.name);
      let quant = 0;
      if (t.quant) {
        b.startVector(4, t.quant.scale.length, 4);
        for (let i = t.quant.scale.length - 1; i >= 0; i--) b.addFloat32(t.quant.scale[i]!);
        const scale = b.endVector();
        b.startVector(8, t.quant.zeroPoint.length, 8);
        for (let i = t.quant.zeroPoint.length - 1; i >= 0; i--) b.addInt64(BigInt(t.quant.zeroPoint[i]!));
        const zp = b.endVector();
        b.startObject(S.QuantizationParameters.COUNT);
        b.addFieldOffset(S.QuantizationParameters.scale, scale, 0);
        b.addFieldOffset(S.QuantizationParameters.zero_point, zp, 0);
        b.addFieldInt32(S.QuantizationParameters.quantized_dimension, t.quant.axis ?? 0, 0);
        quant = b.endObject();
      }
      b.startObject(S.Tensor.COUNT);
      b.addFieldOffset(S.Tensor.shape, shape, 0);
      b.addFieldInt8(S.Tensor.type, t.type, -1);
      b.addFieldInt32(S.Tensor.buffer, t.buffer ?? 0, 0);
      b.addFieldOffset(S.Tensor.name, name, 0);
      if (quant) b.addFieldOffset(S.Tensor.quantization, quant, 0);
      return b.endObject();
    });
    const ops = m.ops.map((op) => {
      const inputs = ints(b, op.inputs);
      const outputs = ints(b, op.outputs);
      const options = op.options ? op.options(b) : 0;
      b.startObject(S.Operator.COUNT);
      b.addFieldInt32(S.Operator.opcode_index, op.opcode, -1);
      b.addFieldOffset(S.Operator.inputs, inputs, 0);
      b.addFieldOffset(S.Operator.outputs, outputs, 0);
      if (op.optionsType !== undefined) b.addFieldInt8(S.Operator.builtin_options_type, op.optionsType, -1);
      if (options) b.addFieldOffset(S.Operator.builtin_options, options, 0);
      return b.endObject();
    });
    const tensorVector = offsets(b, tensors);
    const opVector = offsets(b, ops);
    const inputs = ints(b, m.inputs);
    const outputs = ints(b, m.outputs);
    const graphs = Array.from({ length: m.subgraphs ?? 1 }, () => {
      b.startObject(S.SubGraph.COUNT);
      b.addFieldOffset(S.SubGraph.tensors, tensorVector, 0);
      b.addFieldOffset(S.SubGraph.inputs, inputs, 0);
      b.addFieldOffset(S.SubGraph.outputs, outputs, 0);
      b.addFieldOffset(S.SubGraph.operators, opVector, 0);
      return b.endObject();
    });
    const codes = m.opcodes.map((c) => {
      const custom = c.custom !== undefined ? b.createString(c.custom) : 0;
      b.startObject(S.OperatorCode.COUNT);
      b.addFieldInt8(S.OperatorCode.deprecated_builtin_code, Math.min(c.code, 127), -1);
      if (custom) b.addFieldOffset(S.OperatorCode.custom_code, custom, 0);
      b.addFieldInt32(S.OperatorCode.version, c.version, -1);
      b.addFieldInt32(S.OperatorCode.builtin_code, c.code, -1);
      return b.endObject();
    });
    const codeVector = offsets(b, codes);
    const graphVector = offsets(b, graphs);
    const bufferVector = offsets(b, bufferTables);
    b.startObject(S.Model.COUNT);
    b.addFieldInt32(S.Model.version, S.SCHEMA_VERSION, -1);
    b.addFieldOffset(S.Model.operator_codes, codeVector, 0);
    b.addFieldOffset(S.Model.subgraphs, graphVector, 0);
    b.addFieldOffset(S.Model.buffers, bufferVector, 0);
    b.finish(b.endObject(), m.identifier ?? S.FILE_IDENTIFIER);
    const flat = b.asUint8Array();
    const out = new Uint8Array(flat.length + tailBytes);
    out.set(flat);
    let at = flat.length;
    for (const x of buffers) {
      if (!x.tail) continue;
      out.set(x.tail, at);
      at += x.tail.length;
    }
    return out;
  };
  // the flatbuffer's size does not depend on the offset values (fixed-width fields)
  const first = build(1 << 20);
  return tailBytes > 0 ? build(first.length - tailBytes) : first;
}

/** A float32 [1, n] → [1, n] model of one op with one opcode (e.g. SOFTMAX, LOGISTIC). */
export function unaryModel(code: number, version: number, n = 4, extra: Partial<TinyModel> & { op?: Partial<TinyOp> } = {}): Uint8Array {
  return buildTflite({
    opcodes: [{ code, version }],
    tensors: [
      { name: 'x', shape: [1, n], type: S.TensorType.FLOAT32 },
      { name: 'y', shape: [1, n], type: S.TensorType.FLOAT32 },
    ],
    ops: [{ opcode: 0, inputs: [0], outputs: [1], ...extra.op }],
    inputs: [0],
    outputs: [1],
    ...extra,
  });
}

/** SoftmaxOptions { beta }. */
export function softmaxOptions(beta: number): (b: Builder) => number {
  return (b) => {
    b.startObject(S.SoftmaxOptions.COUNT);
    b.addFieldFloat32(S.SoftmaxOptions.beta, beta, -1);
    return b.endObject();
  };
}
