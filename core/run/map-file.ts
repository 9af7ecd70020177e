import { closeSync, openSync, write } from 'node:fs';
import { readExactly } from '../util/read-exactly.js';
import type { DspBlock, SignalInfo } from '../plugin/types.js';
import { mapRowsInto } from './map-rows.js';

/** Rows [firstRow, firstRow + rows) of a float32 row file, mapped into the same rows of another. */
export interface FileRange {
  readonly inputFile: string;
  readonly outputFile: string;
  readonly firstRow: number;
  readonly rows: number;
  readonly rowLength: number;
  readonly outLength: number;
}

/**
 * Buffers reused from one range to the next. Fresh memory is expensive (on the VMs measured here
 * first-touching 60 MB took ~170 ms, more than the spectrogram of 2,400 windows), so a worker
 * keeps its batch buffers warm instead of allocating per batch: one for the rows (read and mapped
 * synchronously), and output buffers lent to the asynchronous writes until they complete.
 */
export class BatchBuffers {
  private rows = new Float32Array(0);
  private readonly free: Float32Array[] = [];

  rowsBuffer(values: number): Float32Array {
    if (this.rows.length < values) this.rows = new Float32Array(values);
    return this.rows.subarray(0, values);
  }

  /** An output buffer of at least `values`; give it back with `release` once written. */
  borrow(values: number): Float32Array {
    const i = this.free.findIndex((b) => b.length >= values);
    return i >= 0 ? this.free.splice(i, 1)[0]! : new Float32Array(values);
  }

  release(buffer: Float32Array): void {
    this.free.push(buffer);
  }
}

/**
 * Reads the range's rows, maps them with the block, and writes the features at the same rows of the
 * output — the write asynchronously (libuv's threads), so the caller can compute the next range
 * meanwhile. `done` is called once the features are on disk (or with the error).
 */
export function mapFileRange(block: DspBlock, params: never, info: SignalInfo, range: FileRange, buffers: BatchBuffers, done: (error?: Error) => void): void {
  const rows = buffers.rowsBuffer(range.rows * range.rowLength);
  readExactly(range.inputFile, bytesOf(rows), range.firstRow * range.rowLength * 4);
  const outValues = range.rows * range.outLength;
  const buffer = buffers.borrow(outValues);
  try {
    mapRowsInto(block, params, info, rows, range.rowLength, buffer.subarray(0, outValues), range.outLength);
  } catch (e) {
    buffers.release(buffer);
    throw e;
  }
  const bytes = new Uint8Array(buffer.buffer, 0, outValues * 4);
  const fd = openSync(range.outputFile, 'r+');
  const position = range.firstRow * range.outLength * 4;
  const finish = (error?: Error) => {
    closeSync(fd);
    buffers.release(buffer);
    done(error);
  };
  const writeFrom = (at: number): void => {
    write(fd, bytes, at, bytes.length - at, position + at, (error, written) => {
      if (error) finish(error);
      else if (at + written < bytes.length) writeFrom(at + written);
      else finish();
    });
  };
  writeFrom(0);
}

function bytesOf(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}
