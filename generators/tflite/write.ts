/**
 * Model IR → `.tflite` flatbuffer (schema version 3, file identifier "TFL3"), written with the
 * `flatbuffers` Builder from the schema facts in core/model/tflite/schema.ts.
 *
 * What runtimes check is set as the TFLite converter sets it: each op's version is the lowest one
 * for its tensor types (core/model/tflite/op-versions.ts), operator codes carry both the
 * builtin_code and the deprecated byte (older readers such as ArmNN's parser only read the byte),
 * buffer 0 is the empty sentinel, constant data is 16-byte aligned. The metadata has the
 * converter's `min_runtime_version` and our own entry (labels, window, frequency, source) that
 * readTflite takes back.
 */
import { Builder } from 'flatbuffers';
import type { ModelIR, Quantization } from '../../core/model/ir.js';
import { encodeMetadata, METADATA_NAME, MIN_RUNTIME_VERSION_NAME } from '../../core/model/tflite/metadata.js';
import { minRuntimeVersion } from '../../core/model/tflite/op-versions.js';
import * as S from '../../core/model/tflite/schema.js';
import { int32Vector, planGraph, table, type OpSpec, type TensorSpec } from '../../core/model/tflite/write-plan.js';

const TENSOR_TYPE = { float32: S.TensorType.FLOAT32, int8: S.TensorType.INT8, uint8: S.TensorType.UINT8, int16: S.TensorType.INT16, int32: S.TensorType.INT32 } as const;

/** The runtime version string is stored NUL-padded in a 16-byte buffer, as the converter does. */
const RUNTIME_VERSION_BYTES = 16;

export function writeTflite(model: ModelIR): Uint8Array {
  const plan = planGraph(model);
  const b = new Builder(model.weights.length + 65_536);

  // Buffers: 0 empty, then one per constant tensor, then the metadata's.
  const bufferData: (Uint8Array | undefined)[] = [undefined];
  const tensorBuffer = plan.tensors.map((t) => (t.data ? bufferData.push(t.data) - 1 : 0));
  const runtimeVersion = new Uint8Array(RUNTIME_VERSION_BYTES);
  runtimeVersion.set(new TextEncoder().encode(minRuntimeVersion(plan.ops)));
  const runtimeBuffer = bufferData.push(runtimeVersion) - 1;
  const ourBuffer = bufferData.push(encodeMetadata(model.metadata)) - 1;
  const buffers = bufferData.map((data) => writeBuffer(b, data));

  const tensors = plan.tensors.map((t, i) => writeTensor(b, t, tensorBuffer[i]!));
  const codes = distinctOpcodes(plan.ops);
  const ops = plan.ops.map((op) => writeOperator(b, op, codes.findIndex((c) => c.code === op.code && c.version === op.version)));
  const subgraph = writeSubgraph(b, tensors, ops, model.inputs, model.outputs);
  const opcodes = codes.map(({ code, version }) =>
    table(b, S.OperatorCode.COUNT, [
      (b) => b.addFieldInt8(S.OperatorCode.deprecated_builtin_code, Math.min(code, S.BuiltinOperator.PLACEHOLDER_FOR_GREATER_OP_CODES), 0),
      (b) => b.addFieldInt32(S.OperatorCode.version, version, S.OPERATOR_CODE_DEFAULT_VERSION),
      (b) => b.addFieldInt32(S.OperatorCode.builtin_code, code, 0),
    ]),
  );
  const metadata = (
    [
      [MIN_RUNTIME_VERSION_NAME, runtimeBuffer],
      [METADATA_NAME, ourBuffer],
    ] as const
  ).map(([name, buffer]) => {
    const nameOffset = b.createString(name);
    return table(b, S.Metadata.COUNT, [(b) => b.addFieldOffset(S.Metadata.name, nameOffset, 0), (b) => b.addFieldInt32(S.Metadata.buffer, buffer, 0)]);
  });
  const description = b.createString(`impulse-kit${model.metadata.source ? `: ${model.metadata.source}` : ''}`);
  const opcodeVector = offsetVector(b, opcodes);
  const subgraphVector = offsetVector(b, [subgraph]);
  const bufferVector = offsetVector(b, buffers);
  const metadataVector = offsetVector(b, metadata);
  const root = table(b, S.Model.COUNT, [
    (b) => b.addFieldInt32(S.Model.version, S.SCHEMA_VERSION, 0),
    (b) => b.addFieldOffset(S.Model.operator_codes, opcodeVector, 0),
    (b) => b.addFieldOffset(S.Model.subgraphs, subgraphVector, 0),
    (b) => b.addFieldOffset(S.Model.description, description, 0),
    (b) => b.addFieldOffset(S.Model.buffers, bufferVector, 0),
    (b) => b.addFieldOffset(S.Model.metadata, metadataVector, 0),
  ]);
  b.finish(root, S.FILE_IDENTIFIER);
  return b.asUint8Array().slice();
}

function offsetVector(b: Builder, offsets: readonly number[]): number {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]!);
  return b.endVector();
}

function writeBuffer(b: Builder, data: Uint8Array | undefined): number {
  if (!data || data.length === 0) return table(b, S.Buffer.COUNT, []);
  // Buffer.data is force_align 16: align the end of the bytes, which the vector then starts at
  b.prep(S.BUFFER_DATA_ALIGNMENT, data.length);
  const vector = b.createByteVector(data);
  return table(b, S.Buffer.COUNT, [(b) => b.addFieldOffset(S.Buffer.data, vector, 0)]);
}

function writeQuantization(b: Builder, q: Quantization): number {
  b.startVector(4, q.scale.length, 4);
  for (let i = q.scale.length - 1; i >= 0; i--) b.addFloat32(q.scale[i]!);
  const scale = b.endVector();
  b.startVector(8, q.zeroPoint.length, 8);
  for (let i = q.zeroPoint.length - 1; i >= 0; i--) b.addInt64(BigInt(q.zeroPoint[i]!));
  const zeroPoint = b.endVector();
  return table(b, S.QuantizationParameters.COUNT, [
    (b) => b.addFieldOffset(S.QuantizationParameters.scale, scale, 0),
    (b) => b.addFieldOffset(S.QuantizationParameters.zero_point, zeroPoint, 0),
    (b) => b.addFieldInt32(S.QuantizationParameters.quantized_dimension, q.axis, 0),
  ]);
}

function writeTensor(b: Builder, t: TensorSpec, buffer: number): number {
  const shape = int32Vector(b, t.shape);
  const name = b.createString(t.name);
  const quant = t.quant ? writeQuantization(b, t.quant) : 0;
  return table(b, S.Tensor.COUNT, [
    (b) => b.addFieldOffset(S.Tensor.shape, shape, 0),
    (b) => b.addFieldInt8(S.Tensor.type, TENSOR_TYPE[t.dtype], -1),
    (b) => b.addFieldInt32(S.Tensor.buffer, buffer, 0),
    (b) => b.addFieldOffset(S.Tensor.name, name, 0),
    (b) => b.addFieldOffset(S.Tensor.quantization, quant, 0),
  ]);
}

function writeOperator(b: Builder, op: OpSpec, opcode: number): number {
  const inputs = int32Vector(b, op.inputs);
  const outputs = int32Vector(b, op.outputs);
  const options = op.options(b);
  return table(b, S.Operator.COUNT, [
    (b) => b.addFieldInt32(S.Operator.opcode_index, opcode, 0),
    (b) => b.addFieldOffset(S.Operator.inputs, inputs, 0),
    (b) => b.addFieldOffset(S.Operator.outputs, outputs, 0),
    (b) => b.addFieldInt8(S.Operator.builtin_options_type, op.optionsType, S.BuiltinOptions.NONE),
    (b) => b.addFieldOffset(S.Operator.builtin_options, options, 0),
  ]);
}

function writeSubgraph(b: Builder, tensors: readonly number[], ops: readonly number[], inputs: readonly number[], outputs: readonly number[]): number {
  const tensorVector = offsetVector(b, tensors);
  const inputVector = int32Vector(b, inputs);
  const outputVector = int32Vector(b, outputs);
  const opVector = offsetVector(b, ops);
  const name = b.createString('main');
  return table(b, S.SubGraph.COUNT, [
    (b) => b.addFieldOffset(S.SubGraph.tensors, tensorVector, 0),
    (b) => b.addFieldOffset(S.SubGraph.inputs, inputVector, 0),
    (b) => b.addFieldOffset(S.SubGraph.outputs, outputVector, 0),
    (b) => b.addFieldOffset(S.SubGraph.operators, opVector, 0),
    (b) => b.addFieldOffset(S.SubGraph.name, name, 0),
  ]);
}

/** One operator code per (builtin op, version), in order of first use. */
function distinctOpcodes(ops: readonly OpSpec[]): { code: number; version: number }[] {
  const seen = new Map<string, { code: number; version: number }>();
  for (const { code, version } of ops) if (!seen.has(`${code}:${version}`)) seen.set(`${code}:${version}`, { code, version });
  return [...seen.values()];
}
