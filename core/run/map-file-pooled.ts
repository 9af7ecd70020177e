import { closeSync, ftruncateSync, openSync } from 'node:fs';
import type { DspBlock, SignalInfo } from '../plugin/types.js';
import type { WorkerPool } from './worker-pool.js';

/** Rows per task: small enough to balance the workers and report progress often, large enough that a round trip is noise. */
export const BATCH_ROWS = 128;

/**
 * Maps a DSP block over every row of a float32 row file into `outputFile` (created, rows ×
 * outLength values), in the worker pool. Each worker reads its batch from the input file and
 * writes its features at their place in the output file, reusing warm batch buffers: the main
 * thread copies nothing and memory stays bounded by the batch size, whatever the dataset size.
 */
export async function mapFilePooled(
  pool: WorkerPool,
  block: DspBlock,
  params: unknown,
  info: SignalInfo,
  files: { readonly inputFile: string; readonly outputFile: string },
  shape: { readonly rows: number; readonly rowLength: number; readonly outLength: number },
  onProgress?: (done: number, total: number) => void,
): Promise<void> {
  const fd = openSync(files.outputFile, 'w');
  try {
    ftruncateSync(fd, shape.rows * shape.outLength * 4);
  } finally {
    closeSync(fd);
  }
  let done = 0;
  const batches: Promise<void>[] = [];
  for (let firstRow = 0; firstRow < shape.rows; firstRow += BATCH_ROWS) {
    const rows = Math.min(BATCH_ROWS, shape.rows - firstRow);
    batches.push(
      pool
        .run({ module: block.module, type: block.type, params, info, ...files, firstRow, rows, rowLength: shape.rowLength, outLength: shape.outLength })
        .then(() => {
          done += rows;
          onProgress?.(done, shape.rows);
        }),
    );
  }
  await Promise.all(batches);
}
