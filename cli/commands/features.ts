/**
 * `impulse features <impulse> <sample-file> [--block ID]`: the windows of one sample and what each
 * DSP block makes of them — what to look at when a model misbehaves on a sample. Needs no trained
 * model; when the impulse has run, the sample is read as the training samples were.
 */
import pc from 'picocolors';
import { ImpulseError } from '../../core/errors/impulse-error.js';
import { rowSize } from '../../core/artifact/types.js';
import { computeFeatures, decodeSamples, inspectForInference, singleSample, type DspFeatures } from '../../core/run/inference.js';
import { didYouMean } from '../../core/util/suggest.js';
import { loadForCli, printJson } from '../load.js';
import { windowTiming } from './classify.js';

export interface FeaturesCliOptions {
  block?: string;
  json?: boolean;
}

/** Values shown per window in text; --json has them all. */
const SHOWN = 12;

export async function featuresCommand(target: string, sampleFile: string, opts: FeaturesCliOptions): Promise<void> {
  const impulse = await loadForCli(target);
  const ids = Object.keys(impulse.spec.dsp);
  let only: string | undefined;
  if (opts.block !== undefined) {
    only = opts.block.replace(/^dsp:/, '');
    if (!ids.includes(only)) {
      throw new ImpulseError({ code: 'E_CLI_UNKNOWN_BLOCK', message: `--block: no DSP block '${opts.block}'${didYouMean(only, ids)}`, hint: `DSP blocks: ${ids.join(', ')}.` });
    }
  }
  const x = await inspectForInference(impulse);
  const { index, dataRoot } = singleSample(sampleFile);
  const { set } = await decodeSamples(x, index, dataRoot, 'stop');
  const computed = computeFeatures(x, set, only ? [`dsp:${only}`] : undefined);
  const shown = [...computed.values()].filter((f) => !only || f.id === only);
  const startOf = windowTiming(impulse, set);
  const windows = set.rows.map((r) => ({ window: r.window, startMs: startOf ? Math.round(startOf(r.window) * 1000) / 1000 : null }));

  if (opts.json) {
    printJson({
      sample: index.samples[0]!.id,
      input: { type: impulse.spec.input.type, kind: set.kind, shape: set.shape, attrs: set.attrs },
      windows,
      dsp: Object.fromEntries(shown.map((f) => [f.id, { type: f.block.type, shape: f.set.shape, features: windows.map((_, i) => Array.from(rowOf(f, i))) }])),
    });
    return;
  }
  const out = [`${pc.bold(index.samples[0]!.id)}: ${windows.length} ${set.kind === 'image' ? 'image' : `window${windows.length === 1 ? '' : 's'}`} of [${set.shape.join('×')}] (input ${impulse.spec.input.type})`];
  if (shown.length === 0) out.push(pc.dim('  (the impulse has no DSP blocks)'));
  for (const f of shown) out.push(`  ${pc.bold(f.id)} (${f.block.type}): [${f.set.shape.join('×')}] = ${rowSize(f.set.shape)} value${rowSize(f.set.shape) === 1 ? '' : 's'} per window`);
  windows.forEach((w, i) => {
    out.push('', `window ${w.window}${w.startMs === null ? '' : ` (${w.startMs} ms)`}`);
    for (const f of shown) {
      const v = rowOf(f, i);
      out.push(`  ${pc.bold(f.id)} ${pc.dim(stats(v))}`);
      out.push(`    ${values(v)}`);
    }
  });
  process.stdout.write(out.join('\n') + '\n');
}

function rowOf(f: DspFeatures, i: number): Float32Array {
  const n = rowSize(f.set.shape);
  return f.set.data.subarray(i * n, (i + 1) * n);
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a >= 1e5 || a < 1e-3) ? v.toExponential(2) : v.toFixed(3);
}

function stats(v: Float32Array): string {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const x of v) {
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
  }
  return v.length === 0 ? 'empty' : `min ${fmt(min)}  max ${fmt(max)}  mean ${fmt(sum / v.length)}`;
}

function values(v: Float32Array): string {
  const head = Array.from(v.subarray(0, SHOWN), fmt).join(' ');
  return v.length > SHOWN ? `${head} … (${v.length - SHOWN} more; --json for all)` : head;
}
