/**
 * Bounds-checked reading of a flatbuffer with the `flatbuffers` package's ByteBuffer. The package
 * trusts its input (an offset past the end reads `undefined` as 0, a vector length is believed),
 * so every position here is checked against the byte length before it is read, and every vector
 * length against the bytes that follow it. Anything out of place throws a FlatbufferError naming
 * the table and field; the TFLite reader turns it into one E_MODEL_TFLITE error.
 *
 * A work budget bounds the total number of elements read: offsets may point many tables at one
 * large vector, which would otherwise make a small file cost a long time to read.
 */
import { ByteBuffer } from 'flatbuffers';
import { vtableOffset } from './schema.js';

export class FlatbufferError extends Error {
  override readonly name = 'FlatbufferError';
}

/** Field slots of a table, by name (the schema constants), used to name fields in messages. */
export type TableFields = Readonly<Record<string, number>>;

/** A vector's elements: `length` elements of `elementSize` bytes from byte `start`. */
export interface VectorSpan {
  readonly start: number;
  readonly length: number;
}

const UOFFSET = 4;

export class CheckedBuffer {
  readonly bb: ByteBuffer;
  readonly size: number;
  private budget: number;

  constructor(readonly bytes: Uint8Array) {
    this.bb = new ByteBuffer(bytes);
    this.size = bytes.length;
    // Far more than any well-formed file needs (each element of a vector is read once or twice).
    this.budget = 16 * bytes.length + 65_536;
  }

  fail(problem: string): never {
    throw new FlatbufferError(problem);
  }

  /** Throws unless `width` bytes from `pos` lie inside the file. */
  need(pos: number, width: number, what: string): void {
    if (!Number.isSafeInteger(pos) || pos < 0 || width < 0 || pos + width > this.size) {
      const span = width <= 1 ? `byte ${pos}` : `bytes ${pos}–${pos + width - 1}`;
      this.fail(`${what} at ${span} lies outside the file (${this.size} bytes): the file is truncated or corrupt`);
    }
  }

  /** Counts `n` elements against the work budget. */
  charge(n: number, what: string): void {
    this.budget -= n;
    if (this.budget < 0) this.fail(`${what}: the file's tables refer to the same data far too often for a model of ${this.size} bytes; it is corrupt`);
  }

  /** The position a uoffset stored at `pos` points to (forward only, as the format requires). */
  follow(pos: number, what: string): number {
    this.need(pos, UOFFSET, what);
    const target = pos + this.bb.readUint32(pos);
    this.need(target, 1, what);
    return target;
  }

  /** The root table (the uoffset at byte 0). */
  root(fields: TableFields, what: string): Table {
    return this.table(this.follow(0, `${what} root offset`), fields, what);
  }

  /** A table at `pos`, after checking its vtable. */
  table(pos: number, fields: TableFields, what: string): Table {
    this.charge(1, what);
    this.need(pos, 4, `${what} table`);
    const vtable = pos - this.bb.readInt32(pos);
    this.need(vtable, 4, `${what} vtable`);
    const vtableSize = this.bb.readUint16(vtable);
    if (vtableSize < 4 || vtableSize % 2 !== 0) this.fail(`${what}: its vtable at byte ${vtable} has an invalid size ${vtableSize}`);
    this.need(vtable, vtableSize, `${what} vtable`);
    return new Table(this, pos, fields, what);
  }
}

export class Table {
  constructor(
    readonly buf: CheckedBuffer,
    readonly pos: number,
    private readonly fields: TableFields,
    readonly what: string,
  ) {}

  private fieldName(slot: number): string {
    for (const [name, s] of Object.entries(this.fields)) if (s === slot && name !== 'COUNT') return `${this.what}.${name}`;
    return `${this.what} field ${slot}`;
  }

  /** Absolute position of a present field holding `width` bytes, or 0 when the field is absent. */
  private field(slot: number, width: number): number {
    // the vtable was checked by CheckedBuffer.table: __offset reads inside it
    const rel = this.buf.bb.__offset(this.pos, vtableOffset(slot));
    if (rel === 0) return 0;
    const at = this.pos + rel;
    this.buf.need(at, width, this.fieldName(slot));
    return at;
  }

  has(slot: number): boolean {
    return this.field(slot, 0) !== 0;
  }

  uint8(slot: number, fallback: number): number {
    const at = this.field(slot, 1);
    return at ? this.buf.bb.readUint8(at) : fallback;
  }

  int8(slot: number, fallback: number): number {
    const at = this.field(slot, 1);
    return at ? this.buf.bb.readInt8(at) : fallback;
  }

  bool(slot: number, fallback: boolean): boolean {
    const at = this.field(slot, 1);
    return at ? this.buf.bb.readUint8(at) !== 0 : fallback;
  }

  int32(slot: number, fallback: number): number {
    const at = this.field(slot, 4);
    return at ? this.buf.bb.readInt32(at) : fallback;
  }

  uint32(slot: number, fallback: number): number {
    const at = this.field(slot, 4);
    return at ? this.buf.bb.readUint32(at) : fallback;
  }

  float32(slot: number, fallback: number): number {
    const at = this.field(slot, 4);
    return at ? this.buf.bb.readFloat32(at) : fallback;
  }

  /** An unsigned 64-bit field as a number; values beyond 2^53 are refused. */
  uint64(slot: number, fallback: number): number {
    const at = this.field(slot, 8);
    if (!at) return fallback;
    const v = this.buf.bb.readUint64(at);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.buf.fail(`${this.fieldName(slot)} is ${v}, beyond any file size`);
    return Number(v);
  }

  /** A sub-table, or undefined when absent. */
  table(slot: number, fields: TableFields, what: string): Table | undefined {
    const at = this.field(slot, UOFFSET);
    return at ? this.buf.table(this.buf.follow(at, this.fieldName(slot)), fields, what) : undefined;
  }

  /** A vector's span after checking that all its elements lie inside the file; undefined when absent. */
  vector(slot: number, elementSize: number): VectorSpan | undefined {
    const at = this.field(slot, UOFFSET);
    if (!at) return undefined;
    const name = this.fieldName(slot);
    const header = this.buf.follow(at, name);
    this.buf.need(header, UOFFSET, `${name} length`);
    const length = this.buf.bb.__vector_len(at) >>> 0;
    const start = this.buf.bb.__vector(at);
    this.buf.need(start, length * elementSize, `${name} (${length} elements)`);
    this.buf.charge(length, name);
    return { start, length };
  }

  int32s(slot: number): number[] | undefined {
    const v = this.vector(slot, 4);
    if (!v) return undefined;
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = this.buf.bb.readInt32(v.start + 4 * i);
    return out;
  }

  float32s(slot: number): number[] | undefined {
    const v = this.vector(slot, 4);
    if (!v) return undefined;
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = this.buf.bb.readFloat32(v.start + 4 * i);
    return out;
  }

  /** A vector of signed 64-bit values as numbers; values beyond ±2^53 are refused. */
  int64s(slot: number): number[] | undefined {
    const v = this.vector(slot, 8);
    if (!v) return undefined;
    const out = new Array<number>(v.length);
    for (let i = 0; i < v.length; i++) {
      const x = this.buf.bb.readInt64(v.start + 8 * i);
      if (x > BigInt(Number.MAX_SAFE_INTEGER) || x < BigInt(Number.MIN_SAFE_INTEGER)) this.buf.fail(`${this.fieldName(slot)}[${i}] is ${x}, out of range`);
      out[i] = Number(x);
    }
    return out;
  }

  /** A byte vector as a view into the file (no copy). */
  bytes(slot: number): Uint8Array | undefined {
    const v = this.vector(slot, 1);
    return v ? this.buf.bytes.subarray(v.start, v.start + v.length) : undefined;
  }

  string(slot: number): string | undefined {
    const at = this.field(slot, UOFFSET);
    if (!at) return undefined;
    const raw = this.bytes(slot)!;
    return new TextDecoder().decode(raw);
  }

  /** A vector of tables, each checked. */
  tables(slot: number, fields: TableFields, what: (i: number) => string): Table[] | undefined {
    const v = this.vector(slot, UOFFSET);
    if (!v) return undefined;
    const out: Table[] = [];
    for (let i = 0; i < v.length; i++) out.push(this.buf.table(this.buf.follow(v.start + UOFFSET * i, what(i)), fields, what(i)));
    return out;
  }
}
