/**
 * Assembles a ModelIR: tensors are added one by one, constant data is packed into the one
 * weights buffer (16-byte aligned so typed-array views need no copy), ops are appended in order.
 * Used by every producer of IR (the TFLite reader, the TF.js converter, the quantizer).
 */
import { IR_VERSION, type DType, type ModelIR, type ModelMetadata, type Op, type Quantization, type TensorInfo } from './ir.js';

const ALIGN = 16;

export type ConstantData = Float32Array | Int8Array | Uint8Array | Int16Array | Int32Array;

export class ModelBuilder {
  private readonly tensors: TensorInfo[] = [];
  private readonly ops: Op[] = [];
  private readonly chunks: { offset: number; bytes: Uint8Array }[] = [];
  private size = 0;

  /** Adds a tensor; with `data`, a constant one. Returns its index. */
  tensor(name: string, shape: readonly number[], dtype: DType, options: { quant?: Quantization; data?: ConstantData } = {}): number {
    let data: TensorInfo['data'];
    if (options.data) {
      const bytes = new Uint8Array(options.data.buffer, options.data.byteOffset, options.data.byteLength);
      const offset = Math.ceil(this.size / ALIGN) * ALIGN;
      // Kept by reference and copied at build(), so a producer may still fold into it (batch norm).
      this.chunks.push({ offset, bytes });
      this.size = offset + bytes.byteLength;
      data = { offset, bytes: bytes.byteLength };
    }
    this.tensors.push({ name, shape: [...shape], dtype, ...(options.quant ? { quant: options.quant } : {}), ...(data ? { data } : {}) });
    return this.tensors.length - 1;
  }

  info(index: number): TensorInfo {
    return this.tensors[index]!;
  }

  op(op: Op): void {
    this.ops.push(op);
  }

  build(inputs: readonly number[], outputs: readonly number[], metadata: ModelMetadata = {}): ModelIR {
    const weights = new Uint8Array(Math.ceil(this.size / ALIGN) * ALIGN);
    for (const c of this.chunks) weights.set(c.bytes, c.offset);
    return { version: IR_VERSION, tensors: this.tensors, ops: this.ops, inputs, outputs, weights, metadata };
  }
}
