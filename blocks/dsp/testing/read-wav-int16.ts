/**
 * Minimal RIFF/WAVE reader for tests and benchmarks: 16-bit PCM only, returns the raw int16
 * sample values (first channel) as float32 and the sample rate. Not the project's WAV decoder.
 */
import { readFileSync } from 'node:fs';

export interface Int16Wav {
  readonly sampleRate: number;
  readonly channels: number;
  /** Raw int16 values of channel 0, unscaled. */
  readonly samples: Float32Array;
}

export function parseWavInt16(buf: Uint8Array): Int16Wav {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const tag = (o: number): string => String.fromCharCode(buf[o] ?? 0, buf[o + 1] ?? 0, buf[o + 2] ?? 0, buf[o + 3] ?? 0);
  if (buf.byteLength < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a RIFF/WAVE file');
  let off = 12;
  let fmt: { format: number; channels: number; rate: number; bits: number } | undefined;
  while (off + 8 <= buf.byteLength) {
    const id = tag(off);
    const size = dv.getUint32(off + 4, true);
    const body = off + 8;
    if (id === 'fmt ') {
      fmt = { format: dv.getUint16(body, true), channels: dv.getUint16(body + 2, true), rate: dv.getUint32(body + 4, true), bits: dv.getUint16(body + 14, true) };
    } else if (id === 'data') {
      if (!fmt) throw new Error('data chunk before fmt chunk');
      const extensible = fmt.format === 0xfffe;
      if ((fmt.format !== 1 && !extensible) || fmt.bits !== 16) throw new Error(`only 16-bit PCM is supported (format ${fmt.format}, ${fmt.bits} bits)`);
      const end = Math.min(body + size, buf.byteLength);
      const frames = Math.floor((end - body) / (2 * fmt.channels));
      const samples = new Float32Array(frames);
      for (let i = 0; i < frames; i++) samples[i] = dv.getInt16(body + i * 2 * fmt.channels, true);
      return { sampleRate: fmt.rate, channels: fmt.channels, samples };
    }
    off = body + size + (size & 1);
  }
  throw new Error('no data chunk');
}

export function readWavInt16(path: string): Int16Wav {
  return parseWavInt16(readFileSync(path));
}
