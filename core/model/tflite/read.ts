/**
 * `.tflite` → model IR. Reads any TFLite flatbuffer (schema version 3) whose one subgraph uses
 * the ops of the IR, keeping tensors, weights and quantization exactly as the file has them
 * (scales are the file's float32 values, per-channel axes its quantized_dimension).
 *
 * The IR keeps the file's tensors that the IR ops and the subgraph's inputs and outputs use, in
 * file order; tensors only TFLite needs (RESHAPE's shape input, PAD's paddings once folded into
 * the op) are dropped. A bad file is one E_MODEL_TFLITE error, an op or version outside the IR one
 * E_MODEL_UNSUPPORTED_OP error naming it: reading never throws anything else and never loops
 * further than the file's own size allows.
 */
import { badTflite, unsupportedOp } from '../errors.js';
import { ModelBuilder } from '../builder.js';
import type { ModelIR, ModelMetadata, Op } from '../ir.js';
import { CheckedBuffer, FlatbufferError, type Table } from './flatbuffer.js';
import { decodeMetadata, METADATA_NAME } from './metadata.js';
import type { FileOp } from './op-context.js';
import { mapOp } from './read-ops.js';
import { TensorTable, type FileTensor } from './read-tensors.js';
import * as S from './schema.js';

export function readTflite(bytes: Uint8Array, file: string): ModelIR {
  try {
    return readModel(new CheckedBuffer(bytes), file);
  } catch (e) {
    if (e instanceof FlatbufferError) throw badTflite(file, e.message);
    throw e;
  }
}

function readModel(buf: CheckedBuffer, file: string): ModelIR {
  if (buf.size < 8) throw badTflite(file, `the file has ${buf.size} bytes: too short to be a .tflite model`);
  const id = String.fromCharCode(...buf.bytes.subarray(4, 8));
  if (id !== S.FILE_IDENTIFIER) {
    const shown = /^[\x20-\x7e]{4}$/.test(id) ? `"${id}"` : `bytes ${Array.from(buf.bytes.subarray(4, 8), (b) => b.toString(16).padStart(2, '0')).join(' ')}`;
    throw badTflite(file, `not a TFLite model: its file identifier (bytes 4–7) is ${shown}, expected "${S.FILE_IDENTIFIER}"`);
  }
  const model = buf.root(S.Model, 'Model');
  const version = model.uint32(S.Model.version, 0);
  if (version !== S.SCHEMA_VERSION) {
    throw unsupportedOp(file, `TFLite schema version ${version}; only version ${S.SCHEMA_VERSION} is read`, 'Convert the model again with a current TFLite converter.');
  }
  const subgraphs = model.tables(S.Model.subgraphs, S.SubGraph, (i) => `subgraph ${i}`) ?? [];
  if (subgraphs.length === 0) throw badTflite(file, 'the model has no subgraph');
  if (subgraphs.length > 1) {
    throw unsupportedOp(file, `the model has ${subgraphs.length} subgraphs (control flow or several signatures); only single-subgraph models are supported`, 'Convert a single inference function without control flow (no tf.cond / tf.while_loop).');
  }
  const graph = subgraphs[0]!;
  const buffers = model.tables(S.Model.buffers, S.Buffer, (i) => `buffer ${i}`) ?? [];
  const tensors = new TensorTable(file, graph.tables(S.SubGraph.tensors, S.Tensor, (i) => `tensor ${i}`) ?? [], buffers, buf.bytes);
  const opcodes = model.tables(S.Model.operator_codes, S.OperatorCode, (i) => `operator code ${i}`) ?? [];

  const fileOps = (graph.tables(S.SubGraph.operators, S.Operator, (i) => `operator ${i}`) ?? []).map((t, index) => fileOp(t, index, opcodes, file));
  const ops = fileOps.map((op) => mapOp(op, tensors, file));
  const inputs = graph.int32s(S.SubGraph.inputs) ?? [];
  const outputs = graph.int32s(S.SubGraph.outputs) ?? [];
  if (inputs.length === 0) throw badTflite(file, 'the subgraph has no inputs');
  if (outputs.length === 0) throw badTflite(file, 'the subgraph has no outputs');

  // The tensors the IR keeps, in file order, and their new indices.
  const used = new Set<number>();
  for (const t of [...inputs, ...outputs]) used.add(tensors.get(t, 'the subgraph\'s inputs/outputs').index);
  for (const op of ops) for (const t of [...op.inputs, ...op.outputs]) if (t >= 0) used.add(t);
  const order = [...used].sort((a, b) => a - b);
  const renumber = new Map(order.map((t, i) => [t, i]));
  const builder = new ModelBuilder();
  let constantBytes = 0;
  for (const index of order) {
    const t = tensors.get(index, 'the model');
    const dtype = irDtype(t, file);
    // buffers shared by many tensors would each be copied: bound the copies by the file's size
    constantBytes += t.data?.length ?? 0;
    if (constantBytes > 4 * buf.size) throw badTflite(file, 'its constant tensors share buffers far more than a converted model does');
    builder.tensor(t.name, t.shape, dtype, { ...(t.quant ? { quant: t.quant } : {}), ...(t.data ? { data: t.data } : {}) });
  }
  const at = (t: number) => (t < 0 ? t : renumber.get(t)!);
  const irOps = ops.map((op): Op => ({ ...op, inputs: op.inputs.map(at), outputs: op.outputs.map(at) }));
  irOps.forEach((op) => builder.op(op));
  checkInputs(inputs, tensors, file);
  checkDataflow(fileOps, ops, inputs, outputs, tensors, file);
  return builder.build(inputs.map(at), outputs.map(at), readMetadata(model, buffers, file));
}

function fileOp(table: Table, index: number, opcodes: readonly Table[], file: string): FileOp {
  const opcodeIndex = table.uint32(S.Operator.opcode_index, 0);
  const code = opcodes[opcodeIndex];
  if (!code) throw badTflite(file, `operator ${index} refers to operator code ${opcodeIndex}, but the model has ${opcodes.length}`);
  // Files before schema 3a set only the byte field; newer ones both: the larger is the real code.
  const builtin = Math.max(code.int8(S.OperatorCode.deprecated_builtin_code, 0), code.int32(S.OperatorCode.builtin_code, 0));
  const version = code.int32(S.OperatorCode.version, S.OPERATOR_CODE_DEFAULT_VERSION);
  if (builtin === S.BuiltinOperator.CUSTOM || code.has(S.OperatorCode.custom_code)) {
    const name = code.string(S.OperatorCode.custom_code) ?? '';
    throw unsupportedOp(file, `operator ${index} is the custom op '${name}'`, 'Custom ops (including TF Select ops) are not supported: convert with TFLite builtin ops only.');
  }
  return { index, code: builtin, version, inputs: table.int32s(S.Operator.inputs) ?? [], outputs: table.int32s(S.Operator.outputs) ?? [], table };
}

/** The IR dtype of a tensor the IR keeps (types outside the IR were refused by the op that uses them). */
function irDtype(t: FileTensor, file: string) {
  if (!t.dtype) throw unsupportedOp(file, `tensor ${t.index} '${t.name}' is ${S.tensorTypeName(t.type)}`, 'Convert the model as float32 or with full-integer int8 quantization.');
  return t.dtype;
}

/** Subgraph inputs must be computed tensors of a kind the IR runs (a model input of another type is refused here). */
function checkInputs(inputs: readonly number[], tensors: TensorTable, file: string): void {
  for (const index of inputs) {
    const t = tensors.get(index, 'the subgraph\'s inputs');
    if (t.data) throw badTflite(file, `model input tensor ${t.index} '${t.name}' is a constant`);
    if (t.dtype !== 'float32' && t.dtype !== 'int8') {
      throw unsupportedOp(file, `model input tensor ${t.index} '${t.name}' is ${S.tensorTypeName(t.type)}; only FLOAT32 and INT8 inputs are supported`, 'Convert with float32 or int8 input (inference_input_type).');
    }
  }
}

/** Each op reads only constants, model inputs and earlier ops' outputs; each tensor is written once; every model output is computed. */
function checkDataflow(fileOps: readonly FileOp[], ops: readonly Op[], inputs: readonly number[], outputs: readonly number[], tensors: TensorTable, file: string): void {
  const ready = new Set(inputs);
  ops.forEach((op, i) => {
    for (const t of op.inputs) {
      if (t < 0 || ready.has(t) || tensors.get(t, 'an operator').data) continue;
      throw badTflite(file, `operator ${fileOps[i]!.index} reads tensor ${t} '${tensors.get(t, 'an operator').name}' before any operator computes it`);
    }
    for (const t of op.outputs) {
      if (ready.has(t)) throw badTflite(file, `operator ${fileOps[i]!.index} writes tensor ${t} '${tensors.get(t, 'an operator').name}', which is a model input or written before`);
      ready.add(t);
    }
  });
  for (const t of outputs) {
    if (!ready.has(t) && !tensors.get(t, 'the subgraph\'s outputs').data) throw badTflite(file, `model output tensor ${t} '${tensors.get(t, 'the subgraph\'s outputs').name}' is computed by no operator`);
  }
}

/** Our metadata entry when the file has one; else only where the model came from. */
function readMetadata(model: Table, buffers: readonly Table[], file: string): ModelMetadata {
  const entries = model.tables(S.Model.metadata, S.Metadata, (i) => `metadata ${i}`) ?? [];
  for (const entry of entries) {
    if (entry.string(S.Metadata.name) !== METADATA_NAME) continue;
    const index = entry.uint32(S.Metadata.buffer, 0);
    const buffer = buffers[index];
    if (!buffer) throw badTflite(file, `metadata '${METADATA_NAME}' refers to buffer ${index}, but the model has ${buffers.length} buffers`);
    const meta = decodeMetadata(buffer.bytes(S.Buffer.data) ?? new Uint8Array());
    if (typeof meta === 'string') throw badTflite(file, `metadata '${METADATA_NAME}' ${meta}`);
    return meta;
  }
  return { source: file };
}
