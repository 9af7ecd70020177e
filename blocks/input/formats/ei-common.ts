/**
 * The Edge Impulse data acquisition format (shared by the JSON and CBOR encodings):
 *
 *   { protected: { ver: 'v1', alg: 'HS256' | 'none', iat? },
 *     signature: <64 hex chars>,
 *     payload: { device_name?, device_type, interval_ms, sensors: [{ name, units }], values } }
 *
 * `values` is a list of frames (one number per sensor) or, for one sensor, a flat list.
 *
 * Signing (HS256): the writer serializes the whole message with `signature` set to 64 '0'
 * characters, computes HMAC-SHA256 over those bytes with the HMAC key, and writes the hex
 * digest into `signature`. Because the placeholder and the digest are both 64 ASCII
 * characters, a verifier can zero the signature in the file's own bytes and recompute the
 * HMAC without re-serializing (re-serializing would depend on the writer's key order,
 * spacing and float encoding).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SampleDecodeError, fmtNum } from './errors.js';
import type { DecodedSignal } from './signal.js';

export interface EiOptions {
  /** HMAC key of the project; when set, files must be signed (HS256) with it. */
  readonly hmacKey?: string | undefined;
}

export interface DecodedEi extends DecodedSignal {
  readonly frequency: number;
  readonly axes: readonly string[];
  readonly units: readonly string[];
  readonly deviceType: string;
  readonly deviceName: string | undefined;
  /** True when the signature was checked against a key and matched. */
  readonly verified: boolean;
}

export const EMPTY_SIGNATURE = '0'.repeat(64);
const NOT_EI = 'not an Edge Impulse data acquisition file';
const KEY_HINT = 'check input.hmacKey against the HMAC key the file was signed with, or re-export the file from the device';

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x);
}

/** Arrays, and typed arrays some CBOR writers produce for packed numbers. */
function isList(x: unknown): x is ArrayLike<unknown> {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (isList(x)) return 'a list';
  return typeof x === 'string' ? `the string '${x.length > 20 ? `${x.slice(0, 20)}…` : x}'` : `a ${typeof x}`;
}

/** HMAC-SHA256 (hex) of the message as the signer saw it: the signature zero-filled. */
export function eiSignature(signedBytes: Uint8Array, key: string): string {
  return createHmac('sha256', key).update(signedBytes).digest('hex');
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array): number {
  const first = needle[0];
  outer: for (let i = hay.indexOf(first ?? 0); i >= 0 && i + needle.length <= hay.length; i = hay.indexOf(first ?? 0, i + 1)) {
    for (let j = 1; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function verifySignature(raw: Uint8Array, signature: string, key: string, reserialize: () => Uint8Array): boolean {
  const sigBytes = new TextEncoder().encode(signature);
  const at = indexOfBytes(raw, sigBytes);
  let signed: Uint8Array;
  if (at >= 0) {
    signed = raw.slice();
    signed.fill(0x30, at, at + sigBytes.length);
  } else {
    // The signature is not stored verbatim (e.g. escaped): fall back to re-serializing.
    signed = reserialize();
  }
  const expected = Buffer.from(eiSignature(signed, key), 'hex');
  const actual = Buffer.from(signature, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * Validates a decoded message and returns its samples. `raw` is the file's bytes (for the
 * signature); `reserialize` encodes the message with a zero-filled signature (fallback only).
 */
export function readEiMessage(msg: unknown, raw: Uint8Array, options: EiOptions, reserialize: (zeroed: Obj) => Uint8Array): DecodedEi {
  if (!isObj(msg)) throw new SampleDecodeError(`${NOT_EI}: the top level is ${describe(msg)}, expected an object`);
  const prot = msg['protected'];
  if (!isObj(prot)) throw new SampleDecodeError(`${NOT_EI}: missing the 'protected' header`);
  const ver = prot['ver'];
  if (ver !== 'v1') throw new SampleDecodeError(`unsupported data acquisition format version ${ver === undefined ? '(missing protected.ver)' : `'${String(ver)}'`}, expected 'v1'`);
  const alg = prot['alg'];
  if (alg !== 'HS256' && alg !== 'none') {
    throw new SampleDecodeError(`unsupported signature algorithm ${alg === undefined ? '(missing protected.alg)' : `'${String(alg)}'`}, expected 'HS256' or 'none'`);
  }
  const signature = msg['signature'];
  if (typeof signature !== 'string') throw new SampleDecodeError(`${NOT_EI}: missing the 'signature' field`);
  const payload = msg['payload'];
  if (!isObj(payload)) throw new SampleDecodeError(`${NOT_EI}: missing the 'payload'`);

  const key = options.hmacKey ? options.hmacKey : undefined;
  let verified = false;
  if (key !== undefined) {
    if (alg === 'none') {
      throw new SampleDecodeError("file is not signed (alg 'none') but an HMAC key is configured: unsigned files are rejected", 'sign the file, or remove input.hmacKey to accept unsigned files');
    }
    if (!/^[0-9a-fA-F]{64}$/.test(signature)) throw new SampleDecodeError('signature is not 64 hexadecimal characters (HMAC-SHA256)', KEY_HINT);
    if (!verifySignature(raw, signature, key, () => reserialize({ ...msg, signature: EMPTY_SIGNATURE }))) {
      throw new SampleDecodeError('signature does not match: the file was modified after signing, or signed with a different HMAC key', KEY_HINT);
    }
    verified = true;
  }

  const deviceType = payload['device_type'];
  if (typeof deviceType !== 'string') throw new SampleDecodeError(`${NOT_EI}: payload.device_type is ${deviceType === undefined ? 'missing' : describe(deviceType)}, expected a string`);
  const deviceName = payload['device_name'];
  const interval = payload['interval_ms'];
  if (typeof interval !== 'number' || !Number.isFinite(interval) || interval <= 0) {
    throw new SampleDecodeError(`payload.interval_ms is ${interval === undefined ? 'missing' : typeof interval === 'number' ? fmtNum(interval) : describe(interval)}, expected a positive number of milliseconds`);
  }
  const sensors = payload['sensors'];
  if (!isList(sensors) || sensors.length === 0) throw new SampleDecodeError('payload.sensors is missing or empty: expected a list of { name, units }');
  const axes: string[] = [];
  const units: string[] = [];
  for (let i = 0; i < sensors.length; i++) {
    const s = sensors[i];
    const name = isObj(s) ? s['name'] : undefined;
    if (typeof name !== 'string' || name === '') throw new SampleDecodeError(`payload.sensors[${i}] has no name`);
    if (axes.includes(name)) throw new SampleDecodeError(`payload.sensors names '${name}' twice`);
    const u = isObj(s) ? s['units'] : undefined;
    axes.push(name);
    units.push(typeof u === 'string' ? u : '');
  }

  const values = payload['values'];
  if (!isList(values) || values.length === 0) throw new SampleDecodeError('payload.values is missing or empty: the file has no samples');
  const channels = axes.length;
  const frames = values.length;
  const data = new Float32Array(frames * channels);
  const put = (i: number, v: unknown, where: string): void => {
    if (typeof v !== 'number') throw new SampleDecodeError(`${where} is ${describe(v)}, not a number`);
    if (!Number.isFinite(v)) throw new SampleDecodeError(`${where} is not a finite number (${v})`);
    data[i] = v;
  };
  if (isList(values[0])) {
    for (let f = 0; f < frames; f++) {
      const row = values[f];
      if (!isList(row)) throw new SampleDecodeError(`payload.values[${f}] is ${describe(row)}, expected a list of ${channels} numbers`);
      if (row.length !== channels) {
        throw new SampleDecodeError(`payload.values[${f}] has ${row.length} value${row.length === 1 ? '' : 's'}, expected ${channels} (one per sensor)`);
      }
      for (let c = 0; c < channels; c++) put(f * channels + c, row[c], `payload.values[${f}][${c}]`);
    }
  } else {
    if (channels !== 1) throw new SampleDecodeError(`payload.values is a flat list but there are ${channels} sensors: expected one list of ${channels} numbers per sample`);
    for (let f = 0; f < frames; f++) put(f, values[f], `payload.values[${f}]`);
  }
  return {
    frequency: 1000 / interval,
    axes,
    units,
    channels,
    frames,
    data,
    deviceType,
    deviceName: typeof deviceName === 'string' ? deviceName : undefined,
    verified,
  };
}
