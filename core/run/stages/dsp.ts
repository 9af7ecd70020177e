/** `dsp:<id>`: maps a DSP block over every window, in the shared worker pool. */
import { readTensorHeader, readTensorValues, tensorFiles, writeTensorHeader, writeTensorSet } from '../../artifact/io.js';
import { rowSize, type TensorSet } from '../../artifact/types.js';
import type { DspBlock, SignalInfo } from '../../plugin/types.js';
import { mapRows } from '../map-rows.js';
import { mapFilePooled } from '../map-file-pooled.js';
import { inputsOf, type StageRunner } from '../stage-runner.js';

/** Below this many input values the stage runs in-process: a worker round trip costs more. */
const INLINE_LIMIT = 50_000;

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
    const inputDir = deps.get(node.deps[0]!)!.dir;
    const input = readTensorHeader(inputDir);
    const info = signalInfoOf(input);
    block.validate?.(params as never, info);
    const outShape = block.shape(params as never, info);
    const inLen = rowSize(input.shape);
    const outLen = rowSize(outShape);
    const n = input.rows.length;
    const features = { kind: 'features' as const, shape: outShape, rows: input.rows, labels: input.labels, attrs: { block: block.type } };
    if (n * inLen <= INLINE_LIMIT) {
      const data = mapRows(block, params as never, info, readTensorValues(inputDir), inLen, outLen);
      ctx.progress(n, n, 'windows');
      await writeTensorSet(ctx.outDir, { ...features, data });
    } else {
      const files = { inputFile: tensorFiles(inputDir).values, outputFile: tensorFiles(ctx.outDir).values };
      await mapFilePooled(env.pool(), block, params, info, files, { rows: n, rowLength: inLen, outLength: outLen }, (done, total) => ctx.progress(done, total, 'windows'));
      await writeTensorHeader(ctx.outDir, features);
    }
    ctx.log(`${n} × [${outShape.join('×')}] features`);
  },
};
