/** Dispatch of a time-series sample to its format decoder, by file extension. */
import { decodeCsv } from '../formats/csv.js';
import { decodeEiCbor } from '../formats/ei-cbor.js';
import { decodeEiJson } from '../formats/ei-json.js';
import type { DecodedSignal } from '../formats/signal.js';
import { decodeWav } from '../formats/wav.js';
import { extensionOf, unsupportedType } from '../read-samples.js';

export const TIME_SERIES_EXTENSIONS = ['.wav', '.csv', '.json', '.cbor'] as const;

/** Axis names of audio: 'audio' for mono, 'audio0', 'audio1' ... otherwise. */
export function audioAxes(channels: number): string[] {
  return channels === 1 ? ['audio'] : Array.from({ length: channels }, (_, i) => `audio${i}`);
}

export function decodeTimeSeries(id: string, bytes: Uint8Array, hmacKey: string | undefined): DecodedSignal {
  switch (extensionOf(id)) {
    case '.wav': {
      const w = decodeWav(bytes);
      return { frequency: w.frequency, axes: audioAxes(w.channels), channels: w.channels, frames: w.frames, data: w.data };
    }
    case '.csv':
      return decodeCsv(bytes);
    case '.json':
      return decodeEiJson(bytes, { hmacKey });
    case '.cbor':
      return decodeEiCbor(bytes, { hmacKey });
    default:
      throw unsupportedType(id, TIME_SERIES_EXTENSIONS);
  }
}
