/** `dsp:<id>`: maps a DSP block over every window, in the shared worker pool. */
import { readTensorSet, writeTensorSet } from '../../artifact/io.js';
import { rowSize, type TensorSet } from '../../artifact/types.js';
import type { DspBlock, SignalInfo } from '../../plugin/types.js';
import { mapRows } from '../map-rows.js';
import { inputsOf, type StageRunner } from '../stage-runner.js';

/** Below this many input values a batch runs in-process: a worker round trip costs more. */
const INLINE_LIMIT = 50_000;
const BATCH_ROWS = 256;

export function signalInfoOf(set: Pick<TensorSet, 'shape' | 'attrs'>): SignalInfo {
  const { frequency, axes } = set.attrs as { frequency?: number; axes?: string[] };
  return { shape: set.shape, ...(frequency !== undefined ? { frequency } : {}), ...(axes ? { axes } : {}) };
}

function blockOf(nodeRef: string, env: Parameters<StageRunner['run']>[1]): { block: DspBlock; params: Record<string, unknown> } {
  const use = env.impulse.spec.dsp[nodeRef]!;
  return { block: env.impulse.registry.block('dsp', use.type)!, params: use.params as Record<string, unknown> };
}

export const dspStage: StageRunner = {
  async keyParts(node, env, deps) {
    const { block, params } = blockOf(node.ref!, env);
    return { stage: node.id, kind: 'dsp', block: { type: block.type, version: block.version }, params, inputs: inputsOf(node, deps, block.cacheInputs?.(params as never, env.impulse.dir)) };
  },
  async run(node, env, deps, ctx) {
    const { block, params } = blockOf(node.ref!, env);
    const input = readTensorSet(deps.get(node.deps[0]!)!.dir);
    const info = signalInfoOf(input);
    block.validate?.(params as never, info);
    const outShape = block.shape(params as never, info);
    const inLen = rowSize(input.shape);
    const outLen = rowSize(outShape);
    const n = input.rows.length;
    const out = new Float32Array(n * outLen);
    if (input.data.length <= INLINE_LIMIT) {
      out.set(mapRows(block, params as never, info, input.data, inLen, outLen));
      ctx.progress(n, n, 'windows');
    } else {
      const pool = env.pool();
      let done = 0;
      const batches: Promise<void>[] = [];
      for (let start = 0; start < n; start += BATCH_ROWS) {
        const end = Math.min(n, start + BATCH_ROWS);
        const rows = input.data.slice(start * inLen, end * inLen);
        batches.push(
          pool.run({ module: block.module, type: block.type, params, info, rows, rowLength: inLen, outLength: outLen }).then((y) => {
            out.set(y, start * outLen);
            done += end - start;
            ctx.progress(done, n, 'windows');
          }),
        );
      }
      await Promise.all(batches);
    }
    await writeTensorSet(ctx.outDir, { kind: 'features', shape: outShape, rows: input.rows, labels: input.labels, data: out, attrs: { block: block.type } });
    ctx.log(`${n} × [${outShape.join('×')}] features`);
  },
};
