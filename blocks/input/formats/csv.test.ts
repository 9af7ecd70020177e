import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetsDir } from '../../../test/support/shared.js';
import { decodeCsv } from './csv.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('decodeCsv on real data (st_har, headerless x, y, z in mg)', () => {
  const manifest = readFileSync(path.join(datasetsDir, 'st_har/manifest.csv'), 'utf8').trim().split('\n').slice(1);
  const picks = manifest.filter((_, i) => i % 10 === 0).map((l) => l.split(','));

  it.each(picks.map((p) => [p[0] as string, Number(p[3])]))('%s', (rel, rows) => {
    const text = readFileSync(path.join(datasetsDir, 'st_har', rel), 'utf8');
    const c = decodeCsv(enc(text));
    expect(c.header).toBe(false);
    expect(c.axes).toBeUndefined();
    expect(c.frequency).toBeUndefined();
    expect(c.channels).toBe(3);
    expect(c.frames).toBe(rows);
    // Independent reading: split lines and commas.
    const ref = text.trim().split('\n').flatMap((l) => l.split(',').map(Number));
    expect(Array.from(c.data)).toEqual(ref);
  });
});

describe('decodeCsv layouts', () => {
  it('header with a timestamp column: frequency from timestamps, other columns are axes', () => {
    const c = decodeCsv(enc('timestamp,accX,accY,accZ\n0,1.5,2,3\n16,4,5,6\n32,7,8,9\n48,10,11,12\n'));
    expect(c.header).toBe(true);
    expect(c.axes).toEqual(['accX', 'accY', 'accZ']);
    expect(c.frequency).toBe(62.5);
    expect(c.frames).toBe(4);
    expect(Array.from(c.data)).toEqual([1.5, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('timestamp in any column, quoted header, CRLF, BOM, semicolons', () => {
    const c = decodeCsv(enc('\ufeff"x";"Timestamp"\r\n1;1000\r\n2;1010\r\n3;1020\r\n'));
    expect(c.axes).toEqual(['x']);
    expect(c.frequency).toBe(100);
    expect(Array.from(c.data)).toEqual([1, 2, 3]);
  });

  it('header without timestamp: axes named, frequency unknown', () => {
    const c = decodeCsv(enc('a\tb\n1\t2\n3\t4\n'));
    expect(c.axes).toEqual(['a', 'b']);
    expect(c.frequency).toBeUndefined();
    expect(c.frames).toBe(2);
  });

  it('reports bad rows by line number', () => {
    expect(() => decodeCsv(enc('timestamp,x\n0,1\n10,oops\n'))).toThrow("line 3, column 2 (x): 'oops' is not a number");
    expect(() => decodeCsv(enc('1,2\n3,4\n5\n'))).toThrow('line 3: expected 2 values, found 1');
  });
});
