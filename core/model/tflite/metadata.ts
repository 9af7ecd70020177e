/**
 * Our entry in a .tflite file's Model.metadata: what the model is for (labels, window length,
 * sampling frequency, source) and the int8 rounding it was checked with, as UTF-8 JSON in the buffer the entry points to. The writer puts it
 * there; the reader takes it back into ModelMetadata. Other tools ignore metadata they do not know.
 */
import type { ModelMetadata } from '../ir.js';

/** Metadata.name of our entry. */
export const METADATA_NAME = 'impulse_kit';
/** Metadata.name of the converter's entry: the oldest runtime that runs the model (a NUL-padded string). */
export const MIN_RUNTIME_VERSION_NAME = 'min_runtime_version';

export function encodeMetadata(meta: ModelMetadata): Uint8Array {
  const json: Record<string, unknown> = {};
  if (meta.rounding !== undefined) json['rounding'] = meta.rounding;
  if (meta.labels !== undefined) json['labels'] = meta.labels;
  if (meta.windowMs !== undefined) json['windowMs'] = meta.windowMs;
  if (meta.frequency !== undefined) json['frequency'] = meta.frequency;
  if (meta.source !== undefined) json['source'] = meta.source;
  return new TextEncoder().encode(JSON.stringify(json));
}

/** The metadata in our entry's bytes; a string saying what is wrong when they are not ours. */
export function decodeMetadata(bytes: Uint8Array): ModelMetadata | string {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return 'is not UTF-8 JSON';
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return 'is not a JSON object';
  const o = json as Record<string, unknown>;
  const meta: { -readonly [K in keyof ModelMetadata]: ModelMetadata[K] } = {};
  if (o['rounding'] !== undefined) {
    if (o['rounding'] !== 'double' && o['rounding'] !== 'single' && o['rounding'] !== 'xnnpack') return "has a rounding other than 'double', 'single' or 'xnnpack'";
    meta.rounding = o['rounding'];
  }
  if (o['labels'] !== undefined) {
    if (!Array.isArray(o['labels']) || !o['labels'].every((l) => typeof l === 'string')) return 'has labels that are not a list of strings';
    meta.labels = o['labels'] as string[];
  }
  for (const key of ['windowMs', 'frequency'] as const) {
    if (o[key] === undefined) continue;
    if (typeof o[key] !== 'number' || !Number.isFinite(o[key])) return `has a ${key} that is not a number`;
    meta[key] = o[key];
  }
  if (o['source'] !== undefined) {
    if (typeof o['source'] !== 'string') return 'has a source that is not a string';
    meta.source = o['source'];
  }
  return meta;
}
