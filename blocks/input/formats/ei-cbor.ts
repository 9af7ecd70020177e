/** Edge Impulse data acquisition format, CBOR encoding (see ./ei-common.ts). */
import { decode, encode } from 'cborg';
import { SampleDecodeError } from './errors.js';
import { readEiMessage, type DecodedEi, type EiOptions } from './ei-common.js';


export function decodeEiCbor(bytes: Uint8Array, options: EiOptions = {}): DecodedEi {
  if (bytes.length === 0) throw new SampleDecodeError('file is empty');
  let msg: unknown;
  try {
    msg = decode(bytes);
  } catch (e) {
    // cborg reports a cut file as 'unexpected end of input' (or a range error on some paths).
    const truncated = e instanceof RangeError || /unexpected end|not enough data/i.test((e as Error).message);
    throw new SampleDecodeError(truncated ? 'not valid CBOR: the file is truncated' : `not valid CBOR: ${(e as Error).message}`);
  }
  return readEiMessage(msg, bytes, options, (zeroed) => encode(zeroed));
}
