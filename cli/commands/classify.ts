/**
 * `impulse classify <impulse> <sample-file>`: the trained learn blocks' output for every window of
 * one sample — class scores and the top label, an anomaly score, or a regression value.
 */
import pc from 'picocolors';
import type { TensorSet } from '../../core/artifact/types.js';
import { decodeSamples, infer, loadTrained, singleSample, type TrainedLearn } from '../../core/run/inference.js';
import type { LoadedImpulse } from '../../core/spec/load.js';
import { parseDuration } from '../../blocks/input/time-series/duration.js';
import { loadForCli, printJson } from '../load.js';

export type WindowResult =
  | { readonly task: 'classification'; readonly scores: Record<string, number>; readonly top: string; readonly score: number }
  | { readonly task: 'anomaly'; readonly score: number }
  | { readonly task: 'regression'; readonly value: number };

export interface ClassifiedWindow {
  readonly window: number;
  /** Start of the window in the sample, in ms; null when the input has no time axis (images). */
  readonly startMs: number | null;
  readonly learn: Record<string, WindowResult>;
}

export async function classifyCommand(target: string, sampleFile: string, opts: { json?: boolean }): Promise<void> {
  const impulse = await loadForCli(target);
  const x = await loadTrained(impulse);
  const { index, dataRoot } = singleSample(sampleFile);
  const { set } = await decodeSamples(x, index, dataRoot, 'stop');
  const { scores } = await infer(x, set);
  const startOf = windowTiming(impulse, set);
  const windows: ClassifiedWindow[] = set.rows.map((r, i) => ({
    window: r.window,
    startMs: startOf ? round(startOf(r.window), 3) : null,
    learn: Object.fromEntries(x.learn.map((l) => [l.id, resultOf(l, scores.get(l.id)!, i)])),
  }));
  if (opts.json) {
    printJson(windows);
    return;
  }
  const sample = index.samples[0]!.id;
  const out = [`${pc.bold(sample)}: ${windows.length} ${set.kind === 'image' ? 'image' : `window${windows.length === 1 ? '' : 's'}`} of [${set.shape.join('×')}]`];
  for (const l of x.learn) out.push('', ...formatLearn(l, windows));
  process.stdout.write(out.join('\n') + '\n');
}

function resultOf(l: TrainedLearn, scores: Float32Array, row: number): WindowResult {
  if (l.task === 'classification') {
    const k = l.labels.length;
    const s = scores.subarray(row * k, (row + 1) * k);
    let top = 0;
    for (let j = 1; j < k; j++) if (s[j]! > s[top]!) top = j; // the first on ties, as the metrics do
    return { task: 'classification', scores: Object.fromEntries(l.labels.map((label, j) => [label, s[j]!])), top: l.labels[top]!, score: s[top]! };
  }
  if (l.task === 'anomaly') return { task: 'anomaly', score: scores[row]! };
  return { task: 'regression', value: scores[row]! };
}

function formatLearn(l: TrainedLearn, windows: readonly ClassifiedWindow[]): string[] {
  const head = ['window', 'start'];
  const rows = windows.map((w) => [String(w.window), w.startMs === null ? '-' : `${fmtMs(w.startMs)}`]);
  if (l.task === 'classification') {
    head.push(...l.labels, 'top');
    windows.forEach((w, i) => {
      const r = w.learn[l.id] as Extract<WindowResult, { task: 'classification' }>;
      rows[i]!.push(...l.labels.map((label) => r.scores[label]!.toFixed(3)), r.top);
    });
  } else if (l.task === 'anomaly') {
    head.push('score');
    windows.forEach((w, i) => rows[i]!.push((w.learn[l.id] as Extract<WindowResult, { task: 'anomaly' }>).score.toFixed(4)));
  } else {
    head.push('value');
    windows.forEach((w, i) => rows[i]!.push((w.learn[l.id] as Extract<WindowResult, { task: 'regression' }>).value.toFixed(4)));
  }
  const widths = head.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j]!.length)));
  const line = (cells: string[]) => '  ' + cells.map((c, j) => (j === cells.length - 1 && l.task === 'classification' ? c : c.padStart(widths[j]!))).join('  ');
  const out = [`${pc.bold(l.id)} (${l.block.type}, ${l.task})`, pc.dim(line(head)), ...rows.map(line)];
  if (l.task === 'classification' && windows.length > 1) {
    const votes = new Map<string, number>();
    for (const w of windows) {
      const top = (w.learn[l.id] as Extract<WindowResult, { task: 'classification' }>).top;
      votes.set(top, (votes.get(top) ?? 0) + 1);
    }
    const [best, n] = [...votes].sort((a, b) => b[1] - a[1] || l.labels.indexOf(a[0]) - l.labels.indexOf(b[0]))[0]!;
    out.push(`  most windows: ${pc.bold(best)} (${n} of ${windows.length})`);
  }
  return out;
}

/**
 * Start (ms) of window `w` of a time series: windows start every `input.window.stride`, rounded
 * to whole frames as the time-series input block does. Undefined when the input is not windowed in time.
 */
export function windowTiming(impulse: LoadedImpulse, set: TensorSet): ((w: number) => number) | undefined {
  if (set.kind !== 'signal') return undefined;
  const f = set.attrs['frequency'];
  const stride = (impulse.spec.input.params as { window?: { stride?: unknown } }).window?.stride;
  if (typeof f !== 'number' || !(f > 0) || stride === undefined) return undefined;
  let ms: number;
  try {
    ms = parseDuration(stride, 'input.window.stride');
  } catch {
    return undefined;
  }
  const frames = Math.max(1, Math.round((ms * f) / 1000));
  return (w) => (w * frames * 1000) / f;
}

function round(v: number, digits: number): number {
  const p = 10 ** digits;
  return Math.round(v * p) / p;
}

function fmtMs(ms: number): string {
  return `${Number.isInteger(ms) ? ms : ms.toFixed(1)} ms`;
}
