/** Edge Impulse data acquisition format, JSON encoding (see ./ei-common.ts). */
import { SampleDecodeError } from './errors.js';
import { readEiMessage, type DecodedEi, type EiOptions } from './ei-common.js';

export function decodeEiJson(bytes: Uint8Array, options: EiOptions = {}): DecodedEi {
  if (bytes.length === 0) throw new SampleDecodeError('file is empty');
  let msg: unknown;
  try {
    msg = JSON.parse(new TextDecoder('utf-8').decode(bytes));
  } catch (e) {
    throw new SampleDecodeError(`not valid JSON: ${(e as Error).message}`);
  }
  return readEiMessage(msg, bytes, options, (zeroed) => new TextEncoder().encode(JSON.stringify(zeroed)));
}
