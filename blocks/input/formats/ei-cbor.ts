/** Edge Impulse data acquisition format, CBOR encoding (see ./ei-common.ts). */
import { Decoder, Encoder } from 'cbor-x';
import { SampleDecodeError } from './errors.js';
import { readEiMessage, type DecodedEi, type EiOptions } from './ei-common.js';

// Plain CBOR: maps as objects, no cbor-x record extensions (other writers do not use them).
const decoder = new Decoder({ mapsAsObjects: true, useRecords: false });
const encoder = new Encoder({ mapsAsObjects: true, useRecords: false });

export function decodeEiCbor(bytes: Uint8Array, options: EiOptions = {}): DecodedEi {
  if (bytes.length === 0) throw new SampleDecodeError('file is empty');
  let msg: unknown;
  try {
    msg = decoder.decode(bytes);
  } catch (e) {
    // cbor-x reports a cut file as 'Unexpected end of CBOR data' or as a DataView range error.
    const truncated = e instanceof RangeError || /unexpected end/i.test((e as Error).message);
    throw new SampleDecodeError(truncated ? 'not valid CBOR: the file is truncated' : `not valid CBOR: ${(e as Error).message}`);
  }
  return readEiMessage(msg, bytes, options, (zeroed) => encoder.encode(zeroed));
}
