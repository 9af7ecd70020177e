/**
 * On-disk form of artifacts inside a stage's output folder:
 *   samples.json                          SampleIndex
 *   tensors.bin + tensors.json            TensorSet: little-endian float32 rows + shape, rows, labels, attrs
 *   <name>.json                           small JSON results (metrics ...)
 * Binary, not JSON, for anything per-row: features of thousands of windows stay compact and fast.
 */
import { promises as fs, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RowMeta, SampleIndex, TensorSet } from './types.js';
import { rowSize } from './types.js';
import { readExactly } from '../util/read-exactly.js';

export async function writeJson(dir: string, name: string, value: unknown): Promise<void> {
  await fs.writeFile(path.join(dir, name), JSON.stringify(value, null, 1) + '\n');
}

export function readJson<T>(dir: string, name: string): T {
  return JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as T;
}

export const writeSamples = (dir: string, index: SampleIndex) => writeJson(dir, 'samples.json', index);
export const readSamples = (dir: string) => readJson<SampleIndex>(dir, 'samples.json');

interface TensorHeader {
  readonly kind: TensorSet['kind'];
  readonly shape: readonly number[];
  readonly labels: readonly string[];
  readonly attrs: Readonly<Record<string, unknown>>;
  /** Columnar rows: smaller and faster to parse than one object per row. */
  readonly rows: { readonly sample: string[]; readonly label: number[]; readonly split: ('training' | 'testing')[]; readonly window: number[] };
}

/** A tensor set without its values: what a stage that streams the values needs. */
export type TensorSetMeta = Omit<TensorSet, 'data'>;

/** File names of a tensor set inside a stage folder. */
export const tensorFiles = (dir: string) => ({ header: path.join(dir, 'tensors.json'), values: path.join(dir, 'tensors.bin') });

export async function writeTensorSet(dir: string, set: TensorSet): Promise<void> {
  const expected = set.rows.length * rowSize(set.shape);
  if (set.data.length !== expected) throw new Error(`tensor set has ${set.data.length} values, expected ${expected} (${set.rows.length} rows × [${set.shape.join(', ')}])`);
  const bytes = new Uint8Array(set.data.buffer, set.data.byteOffset, set.data.byteLength);
  await fs.writeFile(tensorFiles(dir).values, bytes);
  await writeTensorHeader(dir, set);
}

/** Writes tensors.json; tensors.bin (rows × shape float32 values) is the caller's. */
export async function writeTensorHeader(dir: string, set: TensorSetMeta): Promise<void> {
  const labelIndex = new Map(set.labels.map((l, i) => [l, i]));
  const header: TensorHeader = {
    kind: set.kind,
    shape: set.shape,
    labels: set.labels,
    attrs: set.attrs,
    rows: {
      sample: set.rows.map((r) => r.sample),
      label: set.rows.map((r) => labelIndex.get(r.label) ?? -1),
      split: set.rows.map((r) => r.split),
      window: set.rows.map((r) => r.window),
    },
  };
  await fs.writeFile(tensorFiles(dir).header, JSON.stringify(header));
}

/** Reads tensors.json only. */
export function readTensorHeader(dir: string): TensorSetMeta {
  const header = JSON.parse(readFileSync(tensorFiles(dir).header, 'utf8')) as TensorHeader;
  const r = header.rows;
  const rows: RowMeta[] = r.sample.map((sample, i) => ({ sample, label: header.labels[r.label[i]!] ?? '', split: r.split[i]!, window: r.window[i]! }));
  return { kind: header.kind, shape: header.shape, labels: header.labels, attrs: header.attrs, rows };
}

/** Reads a tensor set; the values go straight into an aligned buffer, with no intermediate copy. */
export function readTensorSet(dir: string): TensorSet {
  return { ...readTensorHeader(dir), data: readTensorValues(dir) };
}

/** Reads tensors.bin only: rows × shape float32 values. */
export function readTensorValues(dir: string): Float32Array {
  const file = tensorFiles(dir).values;
  const data = new Float32Array(statSync(file).size >> 2);
  readExactly(file, new Uint8Array(data.buffer));
  return data;
}
