/**
 * Test support for the input blocks (not used at run time): a stage context, sample
 * indexes over a folder, and writers for the formats (independent of the decoders).
 */
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encode as cborEncode } from 'cborg';
import type { Sample, SampleIndex, Split } from '../../core/artifact/types.js';
import type { StageContext } from '../../core/plugin/types.js';

export interface FakeContext extends StageContext {
  readonly progressCalls: [number, number, string | undefined][];
  readonly logs: string[];
}

export function fakeContext(): FakeContext {
  const progressCalls: [number, number, string | undefined][] = [];
  const logs: string[] = [];
  return {
    stageId: 'input',
    seed: 1,
    projectDir: tmpdir(),
    outDir: tmpdir(),
    jobs: 1,
    signal: new AbortController().signal,
    progress: (d, t, u) => void progressCalls.push([d, t, u]),
    log: (m) => void logs.push(m),
    progressCalls,
    logs,
  };
}

export function tempDir(prefix = 'impulse-input-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Writes `content` at root/rel (creating folders); returns rel. */
export function put(root: string, rel: string, content: string | Uint8Array): string {
  const file = path.join(root, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return rel;
}

export function sample(id: string, label = id.split('/')[0] ?? 'x', split: Split = 'training'): Sample {
  return { id, label, split, group: id, size: 0, sha256: '' };
}

export function indexOf(samples: readonly Sample[]): SampleIndex {
  return { samples, labels: [...new Set(samples.map((s) => s.label))].sort() };
}

/** Index of every file under root as <label>/<file> (sorted), optionally only the first `limit` per label. */
export function indexDir(root: string, opts: { limit?: number; labels?: readonly string[]; ext?: string } = {}): SampleIndex {
  const samples: Sample[] = [];
  const labels = opts.labels ?? readdirSync(root).filter((d) => statSync(path.join(root, d)).isDirectory()).sort();
  for (const label of labels) {
    let files = readdirSync(path.join(root, label)).filter((f) => !opts.ext || f.endsWith(opts.ext)).sort();
    if (opts.limit !== undefined) files = files.slice(0, opts.limit);
    for (const f of files) samples.push(sample(`${label}/${f}`, label));
  }
  return indexOf(samples);
}

/** A WAV file of integer (or float, when format is 3) samples given on their own scale. */
export function wavBytes(o: { rate: number; channels: number; bits: number; format?: 1 | 3; extensible?: boolean; samples: readonly number[]; extraChunk?: boolean }): Uint8Array {
  const fmtCode = o.format ?? 1;
  const bytesPer = o.bits / 8;
  const dataSize = o.samples.length * bytesPer;
  const fmtSize = o.extensible ? 40 : 16;
  const extra = o.extraChunk ? 8 + 5 + 1 : 0; // a 'LIST' chunk of odd size, padded
  const buf = Buffer.alloc(12 + 8 + fmtSize + extra + 8 + dataSize);
  let p = 0;
  buf.write('RIFF', p); buf.writeUInt32LE(buf.length - 8, p + 4); buf.write('WAVE', p + 8); p += 12;
  buf.write('fmt ', p); buf.writeUInt32LE(fmtSize, p + 4); p += 8;
  buf.writeUInt16LE(o.extensible ? 0xfffe : fmtCode, p);
  buf.writeUInt16LE(o.channels, p + 2);
  buf.writeUInt32LE(o.rate, p + 4);
  buf.writeUInt32LE(o.rate * o.channels * bytesPer, p + 8);
  buf.writeUInt16LE(o.channels * bytesPer, p + 12);
  buf.writeUInt16LE(o.bits, p + 14);
  if (o.extensible) {
    buf.writeUInt16LE(22, p + 16); // cbSize
    buf.writeUInt16LE(o.bits, p + 18); // valid bits
    buf.writeUInt32LE(o.channels === 2 ? 3 : 4, p + 20); // channel mask
    buf.writeUInt16LE(fmtCode, p + 24); // sub-format GUID: code + fixed tail
    Buffer.from('000000001000800000aa00389b71', 'hex').copy(buf, p + 26);
  }
  p += fmtSize;
  if (o.extraChunk) {
    buf.write('LIST', p); buf.writeUInt32LE(5, p + 4); buf.write('hello', p + 8); p += 14;
  }
  buf.write('data', p); buf.writeUInt32LE(dataSize, p + 4); p += 8;
  for (const v of o.samples) {
    if (fmtCode === 3) buf.writeFloatLE(v, p);
    else if (o.bits === 8) buf.writeUInt8(v, p);
    else if (o.bits === 16) buf.writeInt16LE(v, p);
    else if (o.bits === 24) buf.writeIntLE(v, p, 3);
    else buf.writeInt32LE(v, p);
    p += bytesPer;
  }
  return new Uint8Array(buf);
}

export interface EiMessage {
  protected: { ver: string; alg: string; iat?: number };
  signature: string;
  payload: Record<string, unknown>;
}

export function eiMessage(payload: Record<string, unknown>, alg = 'HS256'): EiMessage {
  return { protected: { ver: 'v1', alg, iat: 1564128599 }, signature: '0'.repeat(64), payload };
}

const cbor = { encode: (v: unknown) => cborEncode(v) };

/** Serializes with the signature zero-filled, signs those bytes, then writes the signature in. */
export function signedJson(msg: EiMessage, key: string | undefined, indent?: number): string {
  const zeroed = { ...msg, signature: '0'.repeat(64) };
  const signature = key ? createHmac('sha256', key).update(JSON.stringify(zeroed, null, indent)).digest('hex') : zeroed.signature;
  return JSON.stringify({ ...zeroed, signature }, null, indent);
}

export function signedCbor(msg: EiMessage, key: string | undefined): Uint8Array {
  const zeroed = { ...msg, signature: '0'.repeat(64) };
  const signature = key ? createHmac('sha256', key).update(cbor.encode(zeroed)).digest('hex') : zeroed.signature;
  return new Uint8Array(cbor.encode({ ...zeroed, signature }));
}
