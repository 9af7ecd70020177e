/**
 * The part every input block shares: read each sample's file (a few reads in flight),
 * hand the bytes to the block, turn SampleDecodeErrors into ImpulseErrors ('stop') or
 * skipped entries ('skip'), report progress, and refuse a class left with no samples.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { RowMeta, Sample, SampleIndex } from '../../core/artifact/types.js';
import { ImpulseError } from '../../core/errors/impulse-error.js';
import type { InputOptions, SkippedSample, StageContext } from '../../core/plugin/types.js';
import { SampleDecodeError } from './formats/errors.js';

const READ_AHEAD = 16;
const BAD_SAMPLE_HINT = 'fix or remove the file, or set data.onError: skip to leave bad samples out';

/** Returned by a sample handler to leave a sample out whatever onError says (e.g. too short, pad: none). */
export class Skip {
  constructor(readonly reason: string) {}
}

export type SampleHandler = (sample: Sample, bytes: Uint8Array) => Skip | void;

function readReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'cannot read the file: it does not exist';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read the file: permission denied';
  if (code === 'EISDIR') return 'cannot read the file: it is a directory';
  return `cannot read the file: ${(e as Error).message}`;
}

/** The lower-cased extension of a sample id, with the dot ('' when none). */
export function extensionOf(id: string): string {
  return path.extname(id).toLowerCase();
}

export function unsupportedType(id: string, expected: readonly string[]): SampleDecodeError {
  const ext = extensionOf(id);
  const list = expected.length > 1 ? `${expected.slice(0, -1).join(', ')} or ${expected.at(-1)}` : (expected[0] ?? '');
  return new SampleDecodeError(
    `unsupported file type ${ext ? `'${ext}'` : '(no extension)'}: expected ${list}`,
    'remove the file from the data folder, or convert it to a supported format',
  );
}

/**
 * Runs `handle` on every sample in index order. Returns what was skipped. Errors other
 * than SampleDecodeError (bugs, ImpulseErrors about the impulse itself) propagate.
 */
export async function readSamples(ctx: StageContext, index: SampleIndex, options: InputOptions, handle: SampleHandler): Promise<SkippedSample[]> {
  const samples = index.samples;
  const total = samples.length;
  if (total === 0) {
    throw new ImpulseError({ code: 'E_DATA_EMPTY', message: 'the data source has no samples', hint: 'put files in <label>/ folders under data.source' });
  }
  const skipped: SkippedSample[] = [];
  const pending: Promise<Uint8Array | { error: unknown }>[] = [];
  const start = (i: number): void => {
    const s = samples[i];
    if (!s) return;
    pending[i] = readFile(path.join(options.dataRoot, s.id)).then(
      (b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength),
      (error: unknown) => ({ error }),
    );
  };
  for (let i = 0; i < Math.min(READ_AHEAD, total); i++) start(i);
  ctx.progress(0, total, 'files');

  for (let i = 0; i < total; i++) {
    ctx.signal.throwIfAborted();
    const sample = samples[i] as Sample;
    const read = await (pending[i] as Promise<Uint8Array | { error: unknown }>);
    pending[i] = Promise.resolve(new Uint8Array(0)); // drop the bytes once used
    start(i + READ_AHEAD);
    try {
      if (!(read instanceof Uint8Array)) throw new SampleDecodeError(readReason(read.error));
      const result = handle(sample, read);
      if (result instanceof Skip) skipped.push({ sample: sample.id, reason: result.reason });
    } catch (e) {
      if (!(e instanceof SampleDecodeError)) throw e;
      if (options.onError === 'stop') {
        throw new ImpulseError(
          { code: 'E_DATA_BAD_SAMPLE', message: e.message, hint: e.hint ?? BAD_SAMPLE_HINT, location: { sample: sample.id } },
          { cause: e },
        );
      }
      skipped.push({ sample: sample.id, reason: e.message });
    }
    if ((i + 1) % 64 === 0 || i + 1 === total) ctx.progress(i + 1, total, 'files');
  }
  return skipped;
}

/** Throws E_DATA_EMPTY_CLASS for a label that had samples but kept no rows. */
export function checkNoEmptyClass(index: SampleIndex, rows: readonly RowMeta[], skipped: readonly SkippedSample[]): void {
  const kept = new Set(rows.map((r) => r.label));
  const samplesPerLabel = new Map<string, number>();
  for (const s of index.samples) samplesPerLabel.set(s.label, (samplesPerLabel.get(s.label) ?? 0) + 1);
  for (const [label, n] of [...samplesPerLabel].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (kept.has(label)) continue;
    const ids = new Set(index.samples.filter((s) => s.label === label).map((s) => s.id));
    const first = skipped.find((k) => ids.has(k.sample));
    throw new ImpulseError({
      code: 'E_DATA_EMPTY_CLASS',
      message: `class '${label}' has no usable samples: all ${n} ${n === 1 ? 'was' : 'were'} skipped${first ? ` (e.g. ${first.sample}: ${first.reason})` : ''}`,
      hint: `fix the skipped files of '${label}', add samples to it, or remove the class from the data folder`,
    });
  }
}
