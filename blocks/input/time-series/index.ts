/**
 * time-series input block: WAV, CSV and Edge Impulse JSON/CBOR files → fixed-size windows
 * of [frames, axes] (axes interleaved per frame), each row carrying its sample's label and split.
 */
import type { RowMeta, SampleIndex } from '../../../core/artifact/types.js';
import { ImpulseError } from '../../../core/errors/impulse-error.js';
import { defineBlock } from '../../../core/plugin/define.js';
import type { InputOptions, InputResult, SignalInfo, StageContext } from '../../../core/plugin/types.js';
import { SampleDecodeError, fmtNum } from '../formats/errors.js';
import { checkNoEmptyClass, readSamples, Skip } from '../read-samples.js';
import { decodeTimeSeries } from './decode.js';
import { framesOf, resolveTimeSeriesParams, TimeSeriesParams, type ResolvedTimeSeriesParams } from './params.js';
import { pickAxes, resampleLinear, windowStarts } from './window.js';

export { parseDuration } from './duration.js';
export { TimeSeriesParams } from './params.js';

/**
 * Relative difference under which a file's frequency counts as the impulse's: small for
 * declared rates (WAV header, interval_ms, which writers round), larger for rates estimated
 * from millisecond timestamps.
 */
export const FREQUENCY_TOLERANCE = { declared: 0.001, estimated: 0.01 } as const;

const RESAMPLE_HINT = 'resample the file to the impulse frequency, or set input.resample: true to resample on read';

function defaultAxes(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `axis${i}`);
}

function windowFrames(p: ResolvedTimeSeriesParams, frequency: number): { size: number; stride: number } {
  const size = framesOf(p.sizeMs, frequency);
  const stride = framesOf(p.strideMs, frequency);
  for (const [key, ms, n] of [['size', p.sizeMs, size], ['stride', p.strideMs, stride]] as const) {
    if (n < 1) {
      throw new ImpulseError({
        code: 'E_SPEC_WINDOW',
        message: `input.window.${key}: ${fmtNum(ms)} ms is less than one frame at ${fmtNum(frequency)} Hz`,
        hint: `use at least ${fmtNum(Math.ceil(1000 / frequency))} ms`,
      });
    }
  }
  return { size, stride };
}

/** A sample kept: its (selected, resampled) frames and where its windows start. */
interface Kept {
  readonly row: Omit<RowMeta, 'window'>;
  readonly data: Float32Array;
  readonly frames: number;
  readonly starts: readonly number[];
}

export default defineBlock({
  kind: 'input',
  type: 'time-series',
  version: 1,
  title: 'Time series',
  description: 'Reads WAV, CSV and Edge Impulse JSON/CBOR files and cuts them into windows of [frames, axes].',
  output: 'signal',
  params: TimeSeriesParams,

  info(params): SignalInfo {
    const p = resolveTimeSeriesParams(params);
    const frames = p.frequency !== undefined ? framesOf(p.sizeMs, p.frequency) : -1;
    const axes = p.axes.length > 0 ? p.axes.length : -1;
    // -1: not known before the files are read (frequency or axes taken from the files).
    return { shape: [frames, axes], ...(p.frequency !== undefined ? { frequency: p.frequency } : {}), ...(p.axes.length > 0 ? { axes: p.axes } : {}) };
  },

  async run(ctx: StageContext, index: SampleIndex, options: InputOptions, params): Promise<InputResult> {
    const p = resolveTimeSeriesParams(params);
    let frequency = p.frequency;
    let frequencyFrom: string | undefined; // the sample that set it, when taken from the files
    let win: { size: number; stride: number } | undefined = frequency !== undefined ? windowFrames(p, frequency) : undefined;
    let axes: readonly string[] | undefined = p.axes.length > 0 ? p.axes : undefined;
    let axesFrom: string | undefined;
    const kept: Kept[] = [];

    const skipped = await readSamples(ctx, index, options, (sample, bytes) => {
      const sig = decodeTimeSeries(sample.id, bytes, p.hmacKey);

      // Axis names, and which columns to keep.
      let names = sig.axes;
      if (names === undefined) {
        if (p.axes.length === 0) names = defaultAxes(sig.channels);
        else if (p.axes.length === sig.channels) names = p.axes;
        else {
          throw new SampleDecodeError(
            `CSV has ${sig.channels} column${sig.channels === 1 ? '' : 's'} and no header, but input.axes names ${p.axes.length} (${p.axes.join(', ')})`,
            'add a header line naming the columns, or list one name per column in input.axes',
          );
        }
      }
      const fileAxes = names;
      // The first accepted file sets what the impulse leaves open (axes, frequency).
      const want = axes ?? fileAxes;
      const pick = want.map((a) => fileAxes.indexOf(a));
      const missing = want.filter((_, i) => pick[i] === -1);
      if (missing.length > 0 || (p.axes.length === 0 && fileAxes.length !== want.length)) {
        throw new SampleDecodeError(
          p.axes.length > 0
            ? `has no ${missing.length === 1 ? 'axis' : 'axes'} ${missing.map((m) => `'${m}'`).join(', ')} (its axes: ${fileAxes.join(', ')})`
            : `has axes ${fileAxes.join(', ')}, but ${axesFrom} has ${want.join(', ')}`,
          'make every file have the same axes, or choose common ones with input.axes',
        );
      }

      // Frequency: the impulse's, or the first file's; others must match or be resampled.
      const f = frequency ?? sig.frequency;
      if (f === undefined) {
        throw new ImpulseError({
          code: 'E_SPEC_FREQUENCY',
          message: 'input.frequency is not set, and the file has no timestamps to take it from',
          hint: 'set input.frequency (Hz), or add a timestamp column (ms) to the CSV files',
          location: { sample: sample.id },
        });
      }
      const w = win ?? windowFrames(p, f);
      let data = pickAxes(sig.data, sig.frames, sig.channels, pick);
      let frames = sig.frames;
      for (let i = 0; i < data.length; i++) {
        const v = data[i] ?? 0;
        if (!Number.isFinite(v)) {
          const k = want.length;
          throw new SampleDecodeError(`non-finite value (${v}) at frame ${Math.floor(i / k)}, axis '${want[i % k]}'`);
        }
      }
      const tolerance = sig.frequencyIsEstimate ? FREQUENCY_TOLERANCE.estimated : FREQUENCY_TOLERANCE.declared;
      if (sig.frequency !== undefined && Math.abs(sig.frequency - f) > tolerance * f) {
        if (!p.resample) {
          const expected = frequencyFrom === undefined ? `input.frequency is ${fmtNum(f)} Hz` : `${frequencyFrom} (the first file) is ${fmtNum(f)} Hz`;
          throw new SampleDecodeError(`sampled at ${fmtNum(sig.frequency)} Hz, but ${expected}`, RESAMPLE_HINT);
        }
        ({ data, frames } = resampleLinear(data, frames, want.length, sig.frequency, f));
      }
      if (axes === undefined) {
        axes = want;
        axesFrom = sample.id;
      }
      if (frequency === undefined) {
        frequency = f;
        frequencyFrom = sample.id;
        win = w;
      }

      let starts = windowStarts(frames, w.size, w.stride);
      if (starts.length === 0) {
        const short = `shorter than one window (${fmtNum((frames * 1000) / f)} ms < ${fmtNum(p.sizeMs)} ms)`;
        if (p.pad === 'none') return new Skip(`${short}; input.window.pad is 'none'`);
        starts = [0];
      }
      kept.push({ row: { sample: sample.id, label: sample.label, split: sample.split }, data, frames, starts });
      return undefined;
    });

    const shape = [win?.size ?? 0, axes?.length ?? 0];
    const a = shape[1] ?? 0;
    const rowLen = (shape[0] ?? 0) * a;
    const rows: RowMeta[] = [];
    for (const k of kept) for (let w = 0; w < k.starts.length; w++) rows.push({ ...k.row, window: w });
    checkNoEmptyClass(index, rows, skipped);

    const out = new Float32Array(rows.length * rowLen);
    let r = 0;
    for (const k of kept) {
      for (const s of k.starts) {
        // A short sample's only window keeps its zeros past the end (pad: zero).
        out.set(k.data.subarray(s * a, Math.min(s * a + rowLen, k.frames * a)), r * rowLen);
        r++;
      }
    }
    ctx.log(`${kept.length} files → ${rows.length} windows of ${shape[0]} frames × ${a} axes at ${fmtNum(frequency ?? 0)} Hz${skipped.length ? `; ${skipped.length} skipped` : ''}`);
    return {
      set: { kind: 'signal', shape, rows, data: out, labels: index.labels, attrs: { frequency, axes } },
      skipped,
    };
  },
});
