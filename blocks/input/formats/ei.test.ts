import { describe, expect, it } from 'vitest';
import { eiMessage, signedCbor, signedJson } from '../test-helpers.js';
import { decodeEiCbor } from './ei-cbor.js';
import { decodeEiJson } from './ei-json.js';

const KEY = 'fed53116f20684c067774ebf9e7bcbdc';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

const payload = {
  device_name: 'ac:87:a3:0a:2d:1b',
  device_type: 'DISCO-L475VG-IOT01A',
  interval_ms: 10,
  sensors: [
    { name: 'accX', units: 'm/s2' },
    { name: 'accY', units: 'm/s2' },
    { name: 'accZ', units: 'm/s2' },
  ],
  values: [
    [-9.81, 0.03, 1.21],
    [-9.83, 0.04, 1.27],
    [-9.12, 0.03, 1.23],
    [-9.14, 0.01, 1.25],
  ],
};
const expected = payload.values.flat().map(Math.fround);

describe('Edge Impulse JSON', () => {
  it('reads a file signed with the key (compact and indented serializations)', () => {
    for (const indent of [undefined, 4]) {
      const d = decodeEiJson(enc(signedJson(eiMessage(payload), KEY, indent)), { hmacKey: KEY });
      expect(d.verified).toBe(true);
      expect(d.frequency).toBe(100);
      expect(d.axes).toEqual(['accX', 'accY', 'accZ']);
      expect(d.units).toEqual(['m/s2', 'm/s2', 'm/s2']);
      expect(d.deviceType).toBe('DISCO-L475VG-IOT01A');
      expect([d.frames, d.channels]).toEqual([4, 3]);
      expect(Array.from(d.data)).toEqual(expected);
    }
  });

  it('rejects a tampered payload', () => {
    const text = signedJson(eiMessage(payload), KEY).replace('-9.83', '-9.84');
    expect(() => decodeEiJson(enc(text), { hmacKey: KEY })).toThrow('signature does not match: the file was modified after signing, or signed with a different HMAC key');
  });

  it('rejects a wrong key', () => {
    const text = signedJson(eiMessage(payload), 'another-key');
    expect(() => decodeEiJson(enc(text), { hmacKey: KEY })).toThrow('signature does not match');
  });

  it("accepts alg 'none' only without a key", () => {
    const text = signedJson(eiMessage(payload, 'none'), undefined);
    expect(decodeEiJson(enc(text)).verified).toBe(false);
    expect(() => decodeEiJson(enc(text), { hmacKey: KEY })).toThrow("file is not signed (alg 'none') but an HMAC key is configured");
  });

  it('without a key, signatures are not checked', () => {
    const text = signedJson(eiMessage(payload), 'another-key');
    expect(decodeEiJson(enc(text)).frames).toBe(4);
  });

  it('reads a flat values list for one sensor', () => {
    const one = { device_type: 'X', interval_ms: 0.125, sensors: [{ name: 'audio', units: 'wav' }], values: [1, 2, 3] };
    const d = decodeEiJson(enc(signedJson(eiMessage(one), KEY)), { hmacKey: KEY });
    expect(d.frequency).toBe(8000);
    expect(Array.from(d.data)).toEqual([1, 2, 3]);
  });
});

describe('Edge Impulse CBOR', () => {
  it('reads a file signed with the key', () => {
    const d = decodeEiCbor(signedCbor(eiMessage(payload), KEY), { hmacKey: KEY });
    expect(d.verified).toBe(true);
    expect(d.frequency).toBe(100);
    expect(d.axes).toEqual(['accX', 'accY', 'accZ']);
    expect(Array.from(d.data)).toEqual(expected);
  });

  it('rejects a tampered payload and a wrong key', () => {
    const tampered = signedCbor(eiMessage(payload), KEY);
    // Flip one bit inside the last encoded float64 value.
    tampered[tampered.length - 2] = (tampered[tampered.length - 2] ?? 0) ^ 0x01;
    expect(() => decodeEiCbor(tampered, { hmacKey: KEY })).toThrow('signature does not match');
    expect(() => decodeEiCbor(signedCbor(eiMessage(payload), 'another-key'), { hmacKey: KEY })).toThrow('signature does not match');
  });

  it("accepts alg 'none' only without a key", () => {
    const bytes = signedCbor(eiMessage(payload, 'none'), undefined);
    expect(decodeEiCbor(bytes).frames).toBe(4);
    expect(() => decodeEiCbor(bytes, { hmacKey: KEY })).toThrow("alg 'none'");
  });
});
