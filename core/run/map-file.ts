import { closeSync, openSync, readSync, writeSync } from 'node:fs';
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
 * keeps its two batch buffers warm instead of allocating per batch.
 */
export class BatchBuffers {
  private rows = new Float32Array(0);
  private out = new Float32Array(0);

  take(rowValues: number, outValues: number): { rows: Float32Array; out: Float32Array } {
    if (this.rows.length < rowValues) this.rows = new Float32Array(rowValues);
    if (this.out.length < outValues) this.out = new Float32Array(outValues);
    return { rows: this.rows.subarray(0, rowValues), out: this.out.subarray(0, outValues) };
  }
}

/** Reads the range's rows, maps them with the block, writes the features at the same rows of the output. */
export function mapFileRange(block: DspBlock, params: never, info: SignalInfo, range: FileRange, buffers: BatchBuffers): void {
  const { rows, out } = buffers.take(range.rows * range.rowLength, range.rows * range.outLength);
  readExactly(range.inputFile, bytesOf(rows), range.firstRow * range.rowLength * 4);
  mapRowsInto(block, params, info, rows, range.rowLength, out, range.outLength);
  const fd = openSync(range.outputFile, 'r+');
  try {
    const bytes = bytesOf(out);
    let at = 0;
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at, range.firstRow * range.outLength * 4 + at);
  } finally {
    closeSync(fd);
  }
}

function bytesOf(a: Float32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function readExactly(file: string, into: Uint8Array, position: number): void {
  const fd = openSync(file, 'r');
  try {
    let at = 0;
    while (at < into.length) {
      const got = readSync(fd, into, at, into.length - at, position + at);
      if (got === 0) throw new Error(`${file}: ended at byte ${position + at}, expected ${into.length - at} more`);
      at += got;
    }
  } finally {
    closeSync(fd);
  }
}
