/** Typed views of a model's constant tensors (no copy: the weights buffer is 16-byte aligned). */
import type { ModelIR, TensorInfo } from './ir.js';

function view(model: ModelIR, t: TensorInfo) {
  if (!t.data) throw new Error(`tensor '${t.name}' has no constant data`);
  const { byteOffset } = model.weights;
  if ((byteOffset + t.data.offset) % 4 !== 0) {
    const copy = model.weights.slice(t.data.offset, t.data.offset + t.data.bytes);
    return { buffer: copy.buffer, offset: 0, bytes: t.data.bytes };
  }
  return { buffer: model.weights.buffer, offset: byteOffset + t.data.offset, bytes: t.data.bytes };
}

export function constantData(model: ModelIR, index: number): Float32Array | Int8Array | Uint8Array | Int16Array | Int32Array {
  const t = model.tensors[index]!;
  const { buffer, offset, bytes } = view(model, t);
  switch (t.dtype) {
    case 'float32':
      return new Float32Array(buffer, offset, bytes / 4);
    case 'int8':
      return new Int8Array(buffer, offset, bytes);
    case 'uint8':
      return new Uint8Array(buffer, offset, bytes);
    case 'int16':
      return new Int16Array(buffer, offset, bytes / 2);
    case 'int32':
      return new Int32Array(buffer, offset, bytes / 4);
  }
}

export function floatData(model: ModelIR, index: number): Float32Array {
  const d = constantData(model, index);
  if (!(d instanceof Float32Array)) throw new Error(`tensor '${model.tensors[index]!.name}' is ${model.tensors[index]!.dtype}, expected float32`);
  return d;
}

export function int8Data(model: ModelIR, index: number): Int8Array {
  const d = constantData(model, index);
  if (!(d instanceof Int8Array)) throw new Error(`tensor '${model.tensors[index]!.name}' is ${model.tensors[index]!.dtype}, expected int8`);
  return d;
}

export function int32Data(model: ModelIR, index: number): Int32Array {
  const d = constantData(model, index);
  if (!(d instanceof Int32Array)) throw new Error(`tensor '${model.tensors[index]!.name}' is ${model.tensors[index]!.dtype}, expected int32`);
  return d;
}
