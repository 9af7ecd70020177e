/**
 * Bad data: each file below is generated in a temp dir and must produce exactly its message,
 * naming the sample, with onError 'stop'; with 'skip' every one is skipped with that reason.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { decode as cborDecode, encode as cborEncode } from 'cborg';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ImpulseError } from '../../core/errors/impulse-error.js';
import type { InputBlock } from '../../core/plugin/types.js';
import image from './image/index.js';
import { eiMessage, fakeContext, indexOf, put, sample, signedCbor, signedJson, tempDir, wavBytes, type EiMessage } from './test-helpers.js';
import timeSeries from './time-series/index.js';

const KEY = 'fed53116f20684c067774ebf9e7bcbdc';
const TS_PARAMS = { frequency: 100, window: { size: '100ms', stride: '100ms', pad: 'zero' }, axes: ['audio'], resample: false, hmacKey: KEY };
const IMG_PARAMS = { width: 8, height: 8, resizeMode: 'squash', colorDepth: 'RGB' };
const WAV_SUPPORTED = 'supported: PCM integer 8, 16, 24 or 32-bit and IEEE float 32 or 64-bit';
const SIG_MISMATCH = 'signature does not match: the file was modified after signing, or signed with a different HMAC key';

const root = tempDir('impulse-bad-files-');
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);
const wav = (samples: number[], o: Partial<Parameters<typeof wavBytes>[0]> = {}): Uint8Array => wavBytes({ rate: 100, channels: 1, bits: 16, samples, ...o });
const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('did not throw');
};

/** Patches a little-endian u16/u32 at `at` of a copy. */
function patch(b: Uint8Array, at: number, value: number, size: 2 | 4): Uint8Array {
  const c = b.slice();
  const v = new DataView(c.buffer);
  if (size === 2) v.setUint16(at, value, true);
  else v.setUint32(at, value, true);
  return c;
}

const audio = { device_type: 'TEST', interval_ms: 10, sensors: [{ name: 'audio', units: 'u' }], values: [[1], [2], [3]] };
const ei = (payload: Record<string, unknown>, alg = 'HS256'): EiMessage => eiMessage(payload, alg);
const json = (m: EiMessage | unknown, key: string | undefined = KEY): string => (key !== undefined ? signedJson(m as EiMessage, key) : JSON.stringify(m));

const goodPng = (() => {
  const png = new PNG({ width: 4, height: 4 });
  png.data.fill(120);
  return new Uint8Array(PNG.sync.write(png));
})();
const goodJpeg = new Uint8Array(jpeg.encode({ width: 8, height: 8, data: new Uint8Array(256).fill(90) }, 90).data);
const badCrcPng = (() => {
  const c = goodPng.slice();
  c[20] = (c[20] ?? 0) ^ 0xff; // inside IHDR data: its CRC no longer matches
  return c;
})();

type Case = readonly [id: string, content: Uint8Array | string | null, reason: string];

const timeSeriesCases: Case[] = [
  // WAV
  ['bad/empty.wav', bytes(), 'file is empty'],
  ['bad/tiny.wav', enc('RIFF!'), 'not a WAV file: 5 bytes is too short for a RIFF header'],
  ['bad/text.wav', enc('this is not audio at all'), 'not a WAV file: it does not start with a RIFF header'],
  ['bad/avi.wav', enc('RIFF\x04\x00\x00\x00AVI '), "not a WAV file: the RIFF type is 'AVI ', expected 'WAVE'"],
  ['bad/rifx.wav', enc('RIFX\x04\x00\x00\x00WAVE'), 'big-endian WAV (RIFX) is not supported; convert it to a little-endian (RIFF) WAV'],
  ['bad/truncated.wav', wav([1, 2, 3, 4]).subarray(0, 48), "truncated WAV: the 'data' chunk declares 8 bytes but only 4 are present"],
  ['bad/no-data.wav', wav([1, 2]).subarray(0, 36), "corrupt WAV: no 'data' chunk (no audio)"],
  ['bad/no-fmt.wav', enc('RIFF\x0c\x00\x00\x00WAVEdata\x02\x00\x00\x00\x01\x00'), "corrupt WAV: no 'fmt ' chunk (the header that says how the audio is encoded)"],
  ['bad/short-fmt.wav', patch(wav([1]), 16, 14, 4), "corrupt WAV: the 'fmt ' chunk is 14 bytes, expected at least 16"],
  ['bad/truncated-list.wav', enc('RIFF\x00\x00\x00\x00WAVELIST\x64\x00\x00\x00abcd'), "truncated WAV: chunk 'LIST' declares 100 bytes but only 4 are present"],
  ['bad/adpcm.wav', patch(wav([1, 2]), 20, 2, 2), `unsupported WAV encoding: Microsoft ADPCM (format code 2); ${WAV_SUPPORTED}`],
  ['bad/mulaw.wav', patch(wav([1, 2]), 20, 7, 2), `unsupported WAV encoding: mu-law (format code 7); ${WAV_SUPPORTED}`],
  ['bad/12bit.wav', patch(wav([1, 2]), 34, 12, 2), `unsupported WAV sample size: 12-bit PCM; ${WAV_SUPPORTED}`],
  ['bad/zero-channels.wav', patch(wav([1, 2]), 22, 0, 2), "corrupt WAV: the 'fmt ' chunk declares 0 channels"],
  ['bad/zero-rate.wav', patch(wav([1, 2]), 24, 0, 4), "corrupt WAV: the 'fmt ' chunk declares a sample rate of 0 Hz"],
  ['bad/partial-frame.wav', wav([1, 2, 3], { channels: 2 }), "corrupt WAV: the 'data' chunk is 6 bytes, not a whole number of 4-byte frames (2 channels × 16-bit)"],
  ['bad/empty-data.wav', wav([]), "WAV has no audio: the 'data' chunk is empty"],
  ['bad/nan.wav', wav([0.5, Number.NaN, 0], { bits: 32, format: 3 }), "non-finite value (NaN) at frame 1, axis 'audio'"],
  ['bad/inf.wav', wav([0, 0, Number.POSITIVE_INFINITY], { bits: 32, format: 3 }), "non-finite value (Infinity) at frame 2, axis 'audio'"],
  ['bad/16khz.wav', wav([1, 2, 3], { rate: 16000 }), 'sampled at 16000 Hz, but input.frequency is 100 Hz'],
  ['bad/stereo.wav', wav([1, 2, 3, 4], { channels: 2 }), "has no axis 'audio' (its axes: audio0, audio1)"],
  // CSV
  ['bad/empty.csv', bytes(), 'file is empty'],
  ['bad/blank.csv', '\n  \n\n', 'file is empty (only blank lines)'],
  ['bad/header-only.csv', 'timestamp,audio\n', 'CSV has a header but no data rows'],
  ['bad/not-a-number.csv', 'timestamp,audio\n0,1\n10,abc\n20,3\n', "line 3, column 2 (audio): 'abc' is not a number"],
  ['bad/missing-value.csv', 'timestamp,audio\n0,1\n10,2\n20\n', 'line 4: expected 2 values, found 1'],
  ['bad/extra-value.csv', '1\n2\n3,4\n', 'line 3: expected 1 value, found 2'],
  ['bad/empty-cell.csv', 'timestamp,audio\n0,\n', 'line 2, column 2 (audio): empty value'],
  ['bad/nan.csv', 'timestamp,audio\n0,NaN\n', "line 2, column 2 (audio): non-finite value 'NaN'"],
  ['bad/inf.csv', '1\n-Infinity\n', "line 2, column 1: non-finite value '-Infinity'"],
  ['bad/backwards.csv', 'timestamp,audio\n0,1\n20,2\n10,3\n', 'line 4: timestamp 10 is not after the previous one (20)'],
  ['bad/duplicate.csv', 'audio,audio\n1,2\n', "line 1: header names column 'audio' twice"],
  ['bad/binary.csv', bytes(0xff, 0xfe, 0x00, 0x01, 0x80), 'not a text file: the CSV is not valid UTF-8'],
  ['bad/50hz.csv', 'timestamp,audio\n0,1\n20,2\n40,3\n', 'sampled at 50 Hz, but input.frequency is 100 Hz'],
  ['bad/other-axis.csv', 'timestamp,x\n0,1\n10,2\n', "has no axis 'audio' (its axes: x)"],
  ['bad/two-columns.csv', '1,2\n3,4\n', 'CSV has 2 columns and no header, but input.axes names 1 (audio)'],
  // Edge Impulse JSON
  ['bad/empty.json', bytes(), 'file is empty'],
  ['bad/not-json.json', 'hello', `not valid JSON: ${errorOf(() => JSON.parse('hello'))}`],
  ['bad/array.json', '[1, 2]', 'not an Edge Impulse data acquisition file: the top level is a list, expected an object'],
  ['bad/no-protected.json', '{"payload": {}}', "not an Edge Impulse data acquisition file: missing the 'protected' header"],
  ['bad/v2.json', json({ ...ei(audio), protected: { ver: 'v2', alg: 'HS256' } }), "unsupported data acquisition format version 'v2', expected 'v1'"],
  ['bad/rs256.json', json(ei(audio, 'RS256')), "unsupported signature algorithm 'RS256', expected 'HS256' or 'none'"],
  ['bad/tampered.json', json(ei(audio)).replace('[3]', '[4]'), SIG_MISMATCH],
  ['bad/wrong-key.json', json(ei(audio), 'not-the-key'), SIG_MISMATCH],
  ['bad/unsigned.json', json(ei(audio, 'none'), undefined), "file is not signed (alg 'none') but an HMAC key is configured: unsigned files are rejected"],
  ['bad/short-signature.json', JSON.stringify({ ...ei(audio), signature: 'abc' }), 'signature is not 64 hexadecimal characters (HMAC-SHA256)'],
  ['bad/no-device-type.json', json(ei({ ...audio, device_type: undefined })), 'not an Edge Impulse data acquisition file: payload.device_type is missing, expected a string'],
  ['bad/no-interval.json', json(ei({ ...audio, interval_ms: undefined })), 'payload.interval_ms is missing, expected a positive number of milliseconds'],
  ['bad/zero-interval.json', json(ei({ ...audio, interval_ms: 0 })), 'payload.interval_ms is 0, expected a positive number of milliseconds'],
  ['bad/no-sensors.json', json(ei({ ...audio, sensors: [] })), 'payload.sensors is missing or empty: expected a list of { name, units }'],
  ['bad/unnamed-sensor.json', json(ei({ ...audio, sensors: [{ units: 'u' }] })), 'payload.sensors[0] has no name'],
  ['bad/no-values.json', json(ei({ ...audio, values: [] })), 'payload.values is missing or empty: the file has no samples'],
  ['bad/ragged.json', json(ei({ ...audio, values: [[1], [2, 3]] })), 'payload.values[1] has 2 values, expected 1 (one per sensor)'],
  ['bad/string-value.json', json(ei({ ...audio, values: [1, 2, 'x'] })), "payload.values[2] is the string 'x', not a number"],
  ['bad/null-value.json', json(ei({ ...audio, values: [[1], [null]] })), 'payload.values[1][0] is null, not a number'],
  ['bad/50hz.json', json(ei({ ...audio, interval_ms: 20 })), 'sampled at 50 Hz, but input.frequency is 100 Hz'],
  ['bad/flat-multi.json', json(ei({ ...audio, sensors: [{ name: 'audio', units: 'u' }, { name: 'b', units: 'u' }], values: [1, 2] })), 'payload.values is a flat list but there are 2 sensors: expected one list of 2 numbers per sample'],
  // Edge Impulse CBOR
  ['bad/empty.cbor', bytes(), 'file is empty'],
  ['bad/garbage.cbor', bytes(0xff, 0xff, 0xff), 'not valid CBOR: CBOR decode error: got unexpected break'],
  ['bad/truncated.cbor', signedCbor(ei(audio), KEY).subarray(0, 60), 'not valid CBOR: the file is truncated'],
  // A value of the payload changed after signing (the signature itself left as it was).
  ['bad/tampered.cbor', (() => { const m = cborDecode(signedCbor(ei(audio), KEY)) as EiMessage; (m.payload.values as number[][])[0] = [9]; return cborEncode(m); })(), SIG_MISMATCH],
  ['bad/nan.cbor', signedCbor(ei({ ...audio, values: [[1], [Number.NaN]] }), KEY), 'payload.values[1][0] is not a finite number (NaN)'],
  // Anything else
  ['bad/notes.txt', 'hello', "unsupported file type '.txt': expected .wav, .csv, .json or .cbor"],
  ['bad/README', 'hello', 'unsupported file type (no extension): expected .wav, .csv, .json or .cbor'],
  ['bad/missing.wav', null, 'cannot read the file: it does not exist'],
  ['bad/folder.wav', 'dir', 'cannot read the file: it is a directory'],
];

const imageCases: Case[] = [
  ['bad/empty.png', bytes(), 'file is empty'],
  ['bad/text.png', 'not an image', 'not a PNG or JPEG image (the content does not start with a PNG or JPEG signature)'],
  ['bad/truncated.png', goodPng.subarray(0, 50), "truncated PNG image: chunk 'IDAT' runs past the end of the file"],
  ['bad/no-iend.png', goodPng.subarray(0, goodPng.length - 12), 'truncated PNG image: the file ends before the IEND chunk'],
  ['bad/bad-crc.png', badCrcPng, `corrupt PNG image: ${errorOf(() => PNG.sync.read(Buffer.from(badCrcPng)))}`],
  ['bad/truncated.jpg', goodJpeg.subarray(0, 300), 'truncated JPEG image: no end-of-image marker'],
  ['bad/garbage.jpeg', bytes(0xff, 0xd8, 0xff, 0x00, 0x00, 0xff, 0xd9), 'corrupt JPEG image: unknown JPEG marker ff'],
  ['bad/picture.gif', enc('GIF89a'), "unsupported file type '.gif': expected .png, .jpg or .jpeg"],
];

beforeAll(() => {
  for (const [id, content] of [...timeSeriesCases, ...imageCases]) {
    if (content === 'dir') mkdirSync(path.join(root, id), { recursive: true });
    else if (content !== null) put(root, id, content);
  }
  put(root, 'other/headerless.csv', '1\n2\n');
  put(root, 'bad/good.csv', 'timestamp,audio\n0,1\n10,2\n');
  put(root, 'good/a.wav', wav([1, 2, 3, 4, 5]));
  put(root, 'good/b.json', json(ei(audio)));
  put(root, 'bad/good.png', goodPng);
  put(root, 'good/a.png', goodPng);
  put(root, 'good/b.jpg', goodJpeg);
});

async function runOne(block: InputBlock, params: unknown, ids: readonly string[], onError: 'stop' | 'skip') {
  return block.run(fakeContext(), indexOf(ids.map((id) => sample(id))), { dataRoot: root, onError }, params as never);
}

describe.each([
  ['time-series', timeSeries as unknown as InputBlock, TS_PARAMS, timeSeriesCases, ['bad/good.csv', 'good/a.wav', 'good/b.json']],
  ['image', image as unknown as InputBlock, IMG_PARAMS, imageCases, ['bad/good.png', 'good/a.png', 'good/b.jpg']],
] as const)('%s: bad files', (_name, block, params, cases, good) => {
  it('has at least the expected number of distinct bad files', () => {
    expect(new Set(cases.map((c) => c[0])).size).toBe(cases.length);
  });

  it.each(cases.map((c) => [c[0], c[2]] as const))("onError 'stop': %s → its message", async (id, reason) => {
    const err = await runOne(block, params, ['good/a' + (block.type === 'image' ? '.png' : '.wav'), id], 'stop').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ImpulseError);
    const ie = err as ImpulseError;
    expect(ie.code).toBe('E_DATA_BAD_SAMPLE');
    expect(ie.location).toEqual({ sample: id });
    expect(ie.headline()).toBe(`sample ${id}: ${reason}`);
    expect(ie.hint).toBeTruthy();
  });

  it("onError 'skip': every bad file is skipped with its reason, the good ones are kept", async () => {
    const ids = [...good, ...cases.map((c) => c[0])].sort();
    const r = await runOne(block, params, ids, 'skip');
    expect(r.skipped.length).toBe(cases.length);
    expect([...r.skipped].sort((a, b) => (a.sample < b.sample ? -1 : 1))).toEqual(
      cases.map(([sample, , reason]) => ({ sample, reason })).sort((a, b) => (a.sample < b.sample ? -1 : 1)),
    );
    expect(new Set(r.set.rows.map((row) => row.sample))).toEqual(new Set(good));
  });

  it('a class left with no samples after skipping is an error', async () => {
    const ids = [good[1], ...cases.slice(0, 3).map((c) => c[0])];
    const err = (await runOne(block, params, ids, 'skip').catch((e: unknown) => e)) as ImpulseError;
    expect(err).toBeInstanceOf(ImpulseError);
    expect(err.code).toBe('E_DATA_EMPTY_CLASS');
    expect(err.message).toBe(`class 'bad' has no usable samples: all 3 were skipped (e.g. ${cases[0]?.[0]}: ${cases[0]?.[2]})`);
  });
});

describe('bad impulse settings are errors in any mode', () => {
  it('a CSV without timestamps and no input.frequency', async () => {
    const err = (await runOne(timeSeries as unknown as InputBlock, { ...TS_PARAMS, frequency: 0 }, ['other/headerless.csv'], 'skip').catch((e: unknown) => e)) as ImpulseError;
    expect(err.code).toBe('E_SPEC_FREQUENCY');
    expect(err.headline()).toBe('sample other/headerless.csv: input.frequency is not set, and the file has no timestamps to take it from');
  });

  it('a window shorter than one frame', async () => {
    await expect(runOne(timeSeries as unknown as InputBlock, { ...TS_PARAMS, window: { size: '4ms', stride: '4ms' } }, ['good/a.wav'], 'skip')).rejects.toMatchObject({
      code: 'E_SPEC_WINDOW',
      message: 'input.window.size: 4 ms is less than one frame at 100 Hz',
    });
  });
});
