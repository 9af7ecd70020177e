/**
 * Windows of the shared real datasets (../shared/datasets), cut the way the time-series input block
 * cuts them (starts 0, stride, 2·stride … while a window fits; a sample shorter than one window is
 * zero-padded to one window), for tests and benchmarks of the DSP blocks.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { decodePng } from '../../input/formats/image.js';
import { datasetsDir } from './extra-reference.js';
import { readWavInt16 } from './read-wav-int16.js';

/** Windows of `size` frames × `axes` (interleaved) every `stride` frames of one sample. */
export function cutWindows(data: Float32Array, axes: number, size: number, stride: number): Float32Array[] {
  const frames = Math.floor(data.length / axes);
  const out: Float32Array[] = [];
  for (let s = 0; s + size <= frames; s += stride) out.push(data.slice(s * axes, (s + size) * axes));
  if (out.length === 0) {
    const w = new Float32Array(size * axes);
    w.set(data.subarray(0, Math.min(data.length, size * axes)));
    out.push(w);
  }
  return out;
}

/** `count` FSDD files spread over digits and speakers (every k-th of the sorted list), raw int16 values. */
export function fsddFiles(count: number): string[] {
  const root = path.join(datasetsDir, 'fsdd');
  const all: string[] = [];
  for (const d of readdirSync(root).filter((x) => /^\d$/.test(x)).sort()) {
    for (const f of readdirSync(path.join(root, d)).filter((x) => x.endsWith('.wav')).sort()) all.push(path.join(root, d, f));
  }
  const step = Math.max(1, Math.floor(all.length / count));
  return all.filter((_, i) => i % step === 0).slice(0, count);
}

/** Every window of the files (one axis of int16-scale audio). */
export function fsddWindows(files: readonly string[], size: number, stride = size): Float32Array[] {
  return files.flatMap((f) => cutWindows(readWavInt16(f).samples, 1, size, stride));
}

/**
 * `count` windows of `size` samples cut from the files' recordings played back to back (no zero
 * padding, so every frame holds speech): for throughput and instruction counts.
 */
export function fsddSpeech(files: readonly string[], size: number, count: number): Float32Array[] {
  const recordings = files.map((f) => readWavInt16(f).samples);
  const all = new Float32Array(recordings.reduce((a, r) => a + r.length, 0));
  let o = 0;
  for (const r of recordings) {
    all.set(r, o);
    o += r.length;
  }
  const out: Float32Array[] = [];
  for (let s = 0; s + size <= all.length && out.length < count; s += size) out.push(all.slice(s, s + size));
  return out;
}

/** Every st_har recording (x, y, z in mg, 26 Hz), sorted by class and name. */
export function stHarRecordings(): { name: string; data: Float32Array }[] {
  const root = path.join(datasetsDir, 'st_har');
  const out: { name: string; data: Float32Array }[] = [];
  for (const c of ['running', 'stationary', 'walking']) {
    for (const f of readdirSync(path.join(root, c)).filter((x) => x.endsWith('.csv')).sort()) {
      const values = readFileSync(path.join(root, c, f), 'utf8')
        .split(/\r?\n/)
        .filter((l) => l.trim() !== '')
        .flatMap((l) => l.split(',').map(Number));
      out.push({ name: `${c}/${f}`, data: Float32Array.from(values) });
    }
  }
  return out;
}

/** The first `perDigit` images of each digit of mnist10k as 28×28×3 bytes (gray PNGs decode to R = G = B). */
export function mnistImages(perDigit: number): Uint8Array[] {
  const root = path.join(datasetsDir, 'mnist10k');
  const out: Uint8Array[] = [];
  for (let d = 0; d <= 9; d++) {
    const dir = path.join(root, String(d));
    for (const f of readdirSync(dir).filter((x) => x.endsWith('.png')).sort().slice(0, perDigit)) {
      const img = decodePng(readFileSync(path.join(dir, f)));
      if (img.width !== 28 || img.height !== 28) throw new Error(`${f}: ${img.width}×${img.height}, expected 28×28`);
      out.push(img.data);
    }
  }
  return out;
}
