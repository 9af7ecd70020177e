import type { DspBlock, SignalInfo } from '../plugin/types.js';

/**
 * Applies a DSP block to every row of a flat batch, writing row i's features at
 * out[i·outLength …]; checks each output has the declared length.
 */
export function mapRowsInto(
  block: DspBlock,
  params: never,
  info: SignalInfo,
  rows: Float32Array,
  rowLength: number,
  out: Float32Array,
  outLength: number,
): void {
  const n = rowLength === 0 ? 0 : rows.length / rowLength;
  if (out.length < n * outLength) throw new Error(`mapRowsInto: output holds ${out.length} values, ${n} rows need ${n * outLength}`);
  if (block.processInto) {
    for (let i = 0; i < n; i++) block.processInto(params, rows.subarray(i * rowLength, (i + 1) * rowLength), info, out.subarray(i * outLength, (i + 1) * outLength));
    return;
  }
  for (let i = 0; i < n; i++) {
    const y = block.process(params, rows.subarray(i * rowLength, (i + 1) * rowLength), info);
    if (y.length !== outLength) throw new Error(`dsp block '${block.type}' returned ${y.length} values for a window, but its shape() says ${outLength}`);
    out.set(y, i * outLength);
  }
}

/** mapRowsInto a new array. */
export function mapRows(block: DspBlock, params: never, info: SignalInfo, rows: Float32Array, rowLength: number, outLength: number): Float32Array {
  const n = rowLength === 0 ? 0 : rows.length / rowLength;
  const out = new Float32Array(n * outLength);
  mapRowsInto(block, params, info, rows, rowLength, out, outLength);
  return out;
}
