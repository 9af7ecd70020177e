/**
 * WAV (RIFF/WAVE) decoder: PCM integer 8 (unsigned) / 16 / 24 / 32-bit and IEEE float
 * 32 / 64-bit, any channel count, WAVE_FORMAT_EXTENSIBLE; unknown chunks are skipped.
 *
 * Values are returned on the int16 scale (-32768..32767) whatever the encoding, because the
 * reference audio DSP (MFCC / MFE) expects raw int16 magnitudes: int16 values are kept as
 * they are, 8-bit is (v - 128) · 256, 24-bit is v / 256, 32-bit is v / 65536 and float is
 * v · 32768.
 */
import { SampleDecodeError } from './errors.js';

export interface DecodedWav {
  readonly frequency: number;
  readonly channels: number;
  readonly frames: number;
  /** frames × channels values, interleaved, on the int16 scale. */
  readonly data: Float32Array;
  /** Bits per stored sample and whether they are integers or IEEE floats. */
  readonly bitsPerSample: number;
  readonly encoding: 'pcm' | 'float';
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

const KNOWN_UNSUPPORTED: Readonly<Record<number, string>> = {
  0x0002: 'Microsoft ADPCM',
  0x0006: 'A-law',
  0x0007: 'mu-law',
  0x0011: 'IMA ADPCM',
  0x0031: 'GSM 6.10',
  0x0050: 'MPEG',
  0x0055: 'MP3',
};

const SUPPORTED = 'supported: PCM integer 8, 16, 24 or 32-bit and IEEE float 32 or 64-bit';

function ascii(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at] ?? 0, bytes[at + 1] ?? 0, bytes[at + 2] ?? 0, bytes[at + 3] ?? 0);
}

/** The chunk id as users can read it ('fmt ', 'LIST', or hex for binary junk). */
function chunkName(id: string): string {
  return /^[\x20-\x7e]{4}$/.test(id) ? `'${id}'` : `0x${[...id].map((c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('')}`;
}

interface Fmt {
  format: number;
  channels: number;
  rate: number;
  bits: number;
}

function readFmt(view: DataView, at: number, size: number): Fmt {
  if (size < 16) throw new SampleDecodeError(`corrupt WAV: the 'fmt ' chunk is ${size} bytes, expected at least 16`);
  let format = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const rate = view.getUint32(at + 4, true);
  const bits = view.getUint16(at + 14, true);
  if (format === WAVE_FORMAT_EXTENSIBLE) {
    if (size < 40) throw new SampleDecodeError(`corrupt WAV: WAVE_FORMAT_EXTENSIBLE 'fmt ' chunk is ${size} bytes, expected 40`);
    // The sub-format GUID starts with the plain format code.
    format = view.getUint16(at + 24, true);
  }
  return { format, channels, rate, bits };
}

export function decodeWav(bytes: Uint8Array): DecodedWav {
  const len = bytes.length;
  if (len === 0) throw new SampleDecodeError('file is empty');
  if (len < 12) throw new SampleDecodeError(`not a WAV file: ${len} bytes is too short for a RIFF header`);
  const riff = ascii(bytes, 0);
  if (riff === 'RIFX') throw new SampleDecodeError('big-endian WAV (RIFX) is not supported; convert it to a little-endian (RIFF) WAV');
  if (riff === 'RF64') throw new SampleDecodeError('RF64 WAV is not supported; convert it to a plain RIFF WAV');
  if (riff !== 'RIFF') throw new SampleDecodeError('not a WAV file: it does not start with a RIFF header');
  const wave = ascii(bytes, 8);
  if (wave !== 'WAVE') throw new SampleDecodeError(`not a WAV file: the RIFF type is ${chunkName(wave)}, expected 'WAVE'`);

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: Fmt | undefined;
  let dataAt = -1;
  let dataSize = 0;
  let at = 12;
  while (at + 8 <= len && (fmt === undefined || dataAt < 0)) {
    const id = ascii(bytes, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    const available = len - body;
    if (id === 'fmt ') {
      if (size > available) throw new SampleDecodeError(`truncated WAV: the 'fmt ' chunk declares ${size} bytes but only ${available} are present`);
      fmt = readFmt(view, body, size);
    } else if (id === 'data') {
      if (size > available) {
        throw new SampleDecodeError(`truncated WAV: the 'data' chunk declares ${size} bytes but only ${available} are present`);
      }
      dataAt = body;
      dataSize = size;
    } else if (size > available) {
      // An unknown chunk running past the end before we found what we need.
      throw new SampleDecodeError(`truncated WAV: chunk ${chunkName(id)} declares ${size} bytes but only ${available} are present`);
    }
    at = body + size + (size & 1);
  }
  if (!fmt) throw new SampleDecodeError("corrupt WAV: no 'fmt ' chunk (the header that says how the audio is encoded)");
  if (dataAt < 0) throw new SampleDecodeError("corrupt WAV: no 'data' chunk (no audio)");

  const { format, channels, rate, bits } = fmt;
  if (format !== WAVE_FORMAT_PCM && format !== WAVE_FORMAT_IEEE_FLOAT) {
    const name = KNOWN_UNSUPPORTED[format];
    throw new SampleDecodeError(
      `unsupported WAV encoding: ${name ? `${name} ` : ''}(format code ${format}); ${SUPPORTED}`,
      'convert the file to 16-bit PCM WAV (e.g. `sox in.wav -b 16 -e signed-integer out.wav`)',
    );
  }
  const isFloat = format === WAVE_FORMAT_IEEE_FLOAT;
  if (isFloat ? bits !== 32 && bits !== 64 : bits !== 8 && bits !== 16 && bits !== 24 && bits !== 32) {
    throw new SampleDecodeError(`unsupported WAV sample size: ${bits}-bit ${isFloat ? 'float' : 'PCM'}; ${SUPPORTED}`);
  }
  if (channels === 0) throw new SampleDecodeError("corrupt WAV: the 'fmt ' chunk declares 0 channels");
  if (rate === 0) throw new SampleDecodeError("corrupt WAV: the 'fmt ' chunk declares a sample rate of 0 Hz");

  const bytesPer = bits / 8;
  const frameSize = bytesPer * channels;
  if (dataSize % frameSize !== 0) {
    throw new SampleDecodeError(
      `corrupt WAV: the 'data' chunk is ${dataSize} bytes, not a whole number of ${frameSize}-byte frames (${channels} channel${channels > 1 ? 's' : ''} × ${bits}-bit)`,
    );
  }
  const frames = dataSize / frameSize;
  if (frames === 0) throw new SampleDecodeError("WAV has no audio: the 'data' chunk is empty");

  const n = frames * channels;
  const out = new Float32Array(n);
  let p = dataAt;
  if (isFloat && bits === 32) {
    for (let i = 0; i < n; i++, p += 4) out[i] = view.getFloat32(p, true) * 32768;
  } else if (isFloat) {
    for (let i = 0; i < n; i++, p += 8) out[i] = view.getFloat64(p, true) * 32768;
  } else if (bits === 8) {
    for (let i = 0; i < n; i++, p++) out[i] = ((bytes[p] ?? 128) - 128) * 256;
  } else if (bits === 16) {
    for (let i = 0; i < n; i++, p += 2) out[i] = view.getInt16(p, true);
  } else if (bits === 24) {
    for (let i = 0; i < n; i++, p += 3) {
      const v = (bytes[p] ?? 0) | ((bytes[p + 1] ?? 0) << 8) | ((bytes[p + 2] ?? 0) << 16);
      out[i] = ((v << 8) >> 8) / 256; // sign-extend 24 → 32 bits
    }
  } else {
    for (let i = 0; i < n; i++, p += 4) out[i] = view.getInt32(p, true) / 65536;
  }
  return { frequency: rate, channels, frames, data: out, bitsPerSample: bits, encoding: isFloat ? 'float' : 'pcm' };
}
