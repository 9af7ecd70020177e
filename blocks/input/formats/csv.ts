/**
 * CSV time series. Two layouts:
 * - a header row naming the columns (no field of it numeric); a `timestamp` column (milliseconds, increasing) gives
 *   the sampling frequency, every other column is an axis;
 * - no header: every line is numeric and every column an axis; names and frequency then
 *   come from the impulse.
 * Separators: comma, semicolon or tab (from the first line). Problems name the line (1-based,
 * counting the header).
 */
import { SampleDecodeError, fmtNum } from './errors.js';
import type { DecodedSignal } from './signal.js';

export interface DecodedCsv extends DecodedSignal {
  /** Whether the first line was a header. */
  readonly header: boolean;
}

const TIMESTAMP = 'timestamp';
const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
}

function isNumeric(field: string): boolean {
  const t = unquote(field);
  return t !== '' && (!Number.isNaN(Number(t)) || NON_FINITE.test(t));
}

function decodeText(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new SampleDecodeError('not a text file: the CSV is not valid UTF-8');
  }
}

export function decodeCsv(bytes: Uint8Array): DecodedCsv {
  if (bytes.length === 0) throw new SampleDecodeError('file is empty');
  const lines = decodeText(bytes).split(/\r\n|\n|\r/);
  let first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) throw new SampleDecodeError('file is empty (only blank lines)');
  const firstLine = lines[first] ?? '';
  const sep = firstLine.includes(',') ? ',' : firstLine.includes(';') ? ';' : firstLine.includes('\t') ? '\t' : ',';
  const firstFields = firstLine.split(sep);
  // A header names every column; a first line mixing names and numbers is a bad data row.
  const header = !firstFields.some(isNumeric);

  let names: string[] | undefined;
  let tsCol = -1;
  if (header) {
    names = firstFields.map(unquote);
    const seen = new Set<string>();
    for (const [i, name] of names.entries()) {
      if (name === '') throw new SampleDecodeError(`line ${first + 1}: header column ${i + 1} has no name`);
      if (seen.has(name)) throw new SampleDecodeError(`line ${first + 1}: header names column '${name}' twice`);
      seen.add(name);
    }
    tsCol = names.findIndex((n) => n.toLowerCase() === TIMESTAMP);
    if (tsCol >= 0 && names.length === 1) throw new SampleDecodeError(`line ${first + 1}: no value columns besides '${names[tsCol]}'`);
    first++;
  }
  const width = firstFields.length;
  const channels = tsCol >= 0 ? width - 1 : width;

  const values: number[] = [];
  const stamps: number[] = [];
  let prevStamp = Number.NEGATIVE_INFINITY;
  for (let li = first; li < lines.length; li++) {
    const line = lines[li] ?? '';
    if (line.trim() === '') continue;
    const lineNo = li + 1;
    const fields = line.split(sep);
    if (fields.length !== width) {
      throw new SampleDecodeError(`line ${lineNo}: expected ${width} value${width > 1 ? 's' : ''}, found ${fields.length}`);
    }
    for (let c = 0; c < width; c++) {
      const raw = unquote(fields[c] ?? '');
      const col = names ? `column ${c + 1} (${names[c]})` : `column ${c + 1}`;
      if (raw === '') throw new SampleDecodeError(`line ${lineNo}, ${col}: empty value`);
      const v = Number(raw);
      if (Number.isNaN(v) && !NON_FINITE.test(raw)) throw new SampleDecodeError(`line ${lineNo}, ${col}: '${raw}' is not a number`);
      if (!Number.isFinite(v)) throw new SampleDecodeError(`line ${lineNo}, ${col}: non-finite value '${raw}'`);
      if (c === tsCol) {
        if (v <= prevStamp) {
          throw new SampleDecodeError(`line ${lineNo}: timestamp ${fmtNum(v)} is not after the previous one (${fmtNum(prevStamp)})`);
        }
        prevStamp = v;
        stamps.push(v);
      } else {
        values.push(v);
      }
    }
  }
  const frames = values.length / channels;
  if (frames === 0) throw new SampleDecodeError('CSV has a header but no data rows');

  let frequency: number | undefined;
  if (tsCol >= 0 && stamps.length >= 2) {
    const span = (stamps[stamps.length - 1] ?? 0) - (stamps[0] ?? 0);
    frequency = ((stamps.length - 1) * 1000) / span;
  }
  return {
    header,
    frequency,
    frequencyIsEstimate: frequency !== undefined,
    axes: names ? names.filter((_, i) => i !== tsCol) : undefined,
    channels,
    frames,
    data: Float32Array.from(values),
  };
}
