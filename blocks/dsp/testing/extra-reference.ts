/**
 * Extra reference outputs: parameter combinations the shared fixtures do not cover, produced
 * by running the same Python reference (edgeimpulse/processing-blocks at commit 9b0ceb2,
 * numpy 1.24, scipy 1.10, pywt) on windows of ../shared/datasets, subsampled (every step-th
 * feature plus the count). Data only; the reference's code is not part of this repository.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SignalInfo } from '../../../core/plugin/types.js';
import { readWavInt16 } from './read-wav-int16.js';

export interface ExtraCase {
  block: 'spectral_analysis' | 'mfcc' | 'mfe' | 'spectrogram';
  name: string;
  input_file: string;
  start_row?: number;
  rows?: number;
  input_length?: number;
  sample_rate: number;
  params: Record<string, unknown>;
  num_features: number;
  step: number;
  /** feature index → reference value */
  features: Record<string, number>;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const file = path.join(here, 'extra-reference.json');

/** ../shared/datasets beside the checkout, or $IMPULSE_DATASETS (same rule as test/support/shared.ts). */
export const datasetsDir = path.resolve(process.env['IMPULSE_DATASETS'] ?? path.join(here, '../../../../shared/datasets'));

export function extraCases(block: ExtraCase['block']): ExtraCase[] {
  const all = (JSON.parse(readFileSync(file, 'utf8')) as { cases: ExtraCase[] }).cases;
  return all.filter((c) => c.block === block);
}

/** Rows [start, start + rows) of a `x, y, z` CSV without header, interleaved per row. */
export function readCsvWindow(relPath: string, start: number, rows: number): Float32Array {
  const lines = readFileSync(path.join(datasetsDir, relPath), 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const out: number[] = [];
  for (const line of lines.slice(start, start + rows)) for (const v of line.split(',')) out.push(Number(v));
  return Float32Array.from(out);
}

/** The input window of a case and its info. */
export function caseInput(c: ExtraCase): { window: Float32Array; info: SignalInfo } {
  if (c.block === 'spectral_analysis') {
    const rows = c.rows ?? 0;
    return { window: readCsvWindow(c.input_file, c.start_row ?? 0, rows), info: { shape: [rows, 3], frequency: c.sample_rate, axes: ['accX', 'accY', 'accZ'] } };
  }
  const w = readWavInt16(path.join(datasetsDir, c.input_file)).samples;
  return { window: w, info: { shape: [w.length, 1], frequency: c.sample_rate, axes: ['audio'] } };
}
