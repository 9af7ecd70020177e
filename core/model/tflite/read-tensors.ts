/**
 * The tensors of a .tflite subgraph as the reader sees them: name, shape, type, quantization and
 * constant data, each checked when first asked for (tensors no op of ours uses, such as RESHAPE's
 * shape input, are never looked at beyond their index).
 */
import { badTflite, unsupportedOp } from '../errors.js';
import { bytesPerElement, type DType, type Quantization } from '../ir.js';
import type { Table } from './flatbuffer.js';
import * as S from './schema.js';

/** A tensor of the file, checked. */
export interface FileTensor {
  readonly index: number;
  readonly name: string;
  readonly shape: readonly number[];
  /** The file's TensorType code. */
  readonly type: number;
  /** The IR dtype, when the type has one. */
  readonly dtype: DType | undefined;
  readonly quant: Quantization | undefined;
  /** Constant data (a view into the file), when the tensor's buffer holds any. */
  readonly data: Uint8Array | undefined;
}

const DTYPES: ReadonlyMap<number, DType> = new Map([
  [S.TensorType.FLOAT32, 'float32'],
  [S.TensorType.INT8, 'int8'],
  [S.TensorType.UINT8, 'uint8'],
  [S.TensorType.INT16, 'int16'],
  [S.TensorType.INT32, 'int32'],
]);

/** Highest rank we accept: more is no model of ours and would only cost time. */
const MAX_RANK = 8;
/** Largest element count of one tensor (256 Mi): beyond it the file is not a microcontroller model. */
const MAX_ELEMENTS = 2 ** 28;

export class TensorTable {
  private readonly cache = new Map<number, FileTensor>();

  constructor(
    private readonly file: string,
    private readonly tensors: readonly Table[],
    private readonly buffers: readonly Table[],
    private readonly bytes: Uint8Array,
  ) {}

  get count(): number {
    return this.tensors.length;
  }

  /** Tensor `index`, checked; `user` names who refers to it, for messages. */
  get(index: number, user: string): FileTensor {
    if (!Number.isInteger(index) || index < 0 || index >= this.tensors.length) {
      throw badTflite(this.file, `${user} refers to tensor ${index}, but the subgraph has ${this.tensors.length} tensors`);
    }
    let t = this.cache.get(index);
    if (!t) {
      t = this.read(index);
      this.cache.set(index, t);
    }
    return t;
  }

  private read(index: number): FileTensor {
    const table = this.tensors[index]!;
    const name = table.string(S.Tensor.name) ?? `tensor_${index}`;
    const where = `tensor ${index} '${name}'`;
    const shape = table.int32s(S.Tensor.shape) ?? [];
    const type = table.int8(S.Tensor.type, S.TensorType.FLOAT32);
    const unsupported = (what: string, hint: string) => unsupportedOp(this.file, `${where}: ${what}`, hint);
    if (shape.length > MAX_RANK) throw unsupported(`has rank ${shape.length}; at most ${MAX_RANK} is supported`, 'Models for microcontrollers use tensors of rank 4 or less.');
    if (shape.some((d) => d <= 0)) {
      throw unsupported(`has shape [${shape.join(', ')}] with an unknown or empty dimension`, 'Convert the model with fixed input shapes (batch 1).');
    }
    const signature = table.int32s(S.Tensor.shape_signature);
    if (signature && signature.length === shape.length) {
      // The converter marks a free batch dimension -1 in the signature and 1 in the shape: that is batch 1.
      const dynamic = signature.findIndex((d, i) => d !== shape[i] && !(i === 0 && d === -1));
      if (dynamic >= 0) throw unsupported(`has a dynamic dimension ${dynamic} (shape signature [${signature.join(', ')}])`, 'Convert the model with fixed input shapes (batch 1).');
    }
    const elements = shape.reduce((a, b) => a * b, 1);
    if (elements > MAX_ELEMENTS) throw unsupported(`has ${elements} elements, more than a model for a microcontroller can hold`, 'Use a smaller model.');
    if (table.bool(S.Tensor.is_variable, false)) throw unsupported('is a variable (state) tensor', 'Stateful models (RNN/LSTM state) are not supported; export a stateless model.');
    if (table.has(S.Tensor.sparsity)) throw unsupported('is sparse', 'Convert the model without sparsity (dense weights).');
    const dtype = DTYPES.get(type);
    // TFLite ignores quantization parameters on float tensors; so does the IR (they would only mislead)
    const quant = type === S.TensorType.FLOAT32 ? undefined : this.quantization(table, where, shape);
    const data = this.constantData(table, where);
    if (data && dtype && data.length !== elements * bytesPerElement(dtype)) {
      throw badTflite(this.file, `${where}: its buffer holds ${data.length} bytes, but shape [${shape.join(', ')}] of ${S.tensorTypeName(type)} needs ${elements * bytesPerElement(dtype)}`);
    }
    return { index, name, shape, type, dtype, quant, data };
  }

  private quantization(table: Table, where: string, shape: readonly number[]): Quantization | undefined {
    const q = table.table(S.Tensor.quantization, S.QuantizationParameters, `${where} quantization`);
    if (!q) return undefined;
    if (q.uint8(S.QuantizationParameters.details_type, S.QUANTIZATION_DETAILS_NONE) !== S.QUANTIZATION_DETAILS_NONE) {
      throw unsupportedOp(this.file, `${where}: uses custom quantization details`, 'Use the converter\'s standard int8 quantization.');
    }
    const scale = q.float32s(S.QuantizationParameters.scale) ?? [];
    // min/max alone (kept "for importing back into tensorflow") do not quantize a tensor
    if (scale.length === 0) return undefined;
    const zeroPoint = q.int64s(S.QuantizationParameters.zero_point) ?? [];
    if (zeroPoint.length !== scale.length) throw badTflite(this.file, `${where}: ${scale.length} quantization scales but ${zeroPoint.length} zero points`);
    if (scale.some((s) => !Number.isFinite(s) || s < 0)) throw badTflite(this.file, `${where}: a quantization scale is negative or not finite`);
    const fileAxis = q.int32(S.QuantizationParameters.quantized_dimension, 0);
    if (scale.length === 1) return { scale, zeroPoint, axis: 0 };
    if (fileAxis < 0 || fileAxis >= shape.length || shape[fileAxis] !== scale.length) {
      throw badTflite(this.file, `${where}: ${scale.length} per-channel scales along dimension ${fileAxis} do not fit shape [${shape.join(', ')}]`);
    }
    return { scale, zeroPoint, axis: fileAxis };
  }

  private constantData(table: Table, where: string): Uint8Array | undefined {
    const index = table.uint32(S.Tensor.buffer, 0);
    if (index >= this.buffers.length) throw badTflite(this.file, `${where} refers to buffer ${index}, but the model has ${this.buffers.length} buffers`);
    const buffer = this.buffers[index]!;
    const data = buffer.bytes(S.Buffer.data);
    if (data && data.length > 0) return data;
    // Models over 2 GB keep data after the flatbuffer: offset and size from the start of the file.
    const offset = buffer.uint64(S.Buffer.offset, 0);
    if (offset <= 1) return undefined;
    const size = buffer.uint64(S.Buffer.size, 0);
    if (offset + size > this.bytes.length) throw badTflite(this.file, `${where}: buffer ${index} lies at bytes ${offset}–${offset + size}, past the end of the file (${this.bytes.length} bytes)`);
    return size > 0 ? this.bytes.subarray(offset, offset + size) : undefined;
  }
}
