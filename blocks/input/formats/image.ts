/**
 * Images: PNG (pngjs) and JPEG (jpeg-js) decoding to 8-bit RGB, bilinear resizing in three
 * modes, and grayscale conversion (ITU-R BT.601 luma). The format is taken from the
 * content (magic bytes), not from the file name.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { SampleDecodeError } from './errors.js';

export interface Image {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  /** height × width × channels bytes, row-major, channels interleaved. */
  readonly data: Uint8Array;
}

export interface RgbImage extends Image {
  readonly channels: 3;
}

/**
 * - 'squash': scale each axis independently to the target size (aspect ratio changes);
 * - 'fit-short': scale so the shorter side fits, crop the centre of the longer one;
 * - 'fit-long': scale so the longer side fits, centre it and pad the rest with 0 (letterbox).
 */
export type ResizeMode = 'squash' | 'fit-short' | 'fit-long';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function imageFormat(bytes: Uint8Array): 'png' | 'jpeg' | undefined {
  return startsWith(bytes, PNG_MAGIC) ? 'png' : startsWith(bytes, JPEG_MAGIC) ? 'jpeg' : undefined;
}

export function decodeImage(bytes: Uint8Array): RgbImage {
  if (bytes.length === 0) throw new SampleDecodeError('file is empty');
  const format = imageFormat(bytes);
  if (format === 'png') return decodePng(bytes);
  if (format === 'jpeg') return decodeJpeg(bytes);
  throw new SampleDecodeError('not a PNG or JPEG image (the content does not start with a PNG or JPEG signature)');
}

function checkSize(width: number, height: number): void {
  if (!(width > 0 && height > 0)) throw new SampleDecodeError(`image has no pixels (${width}×${height})`);
}

/** Walks the PNG chunks so a cut file gets a clear reason (pngjs only reports stream states). */
function checkPngChunks(bytes: Uint8Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = PNG_MAGIC.length;
  while (at + 8 <= bytes.length) {
    const size = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (at + 12 + size > bytes.length) throw new SampleDecodeError(`truncated PNG image: chunk '${type}' runs past the end of the file`);
    if (type === 'IEND') return;
    at += 12 + size;
  }
  throw new SampleDecodeError('truncated PNG image: the file ends before the IEND chunk');
}

export function decodePng(bytes: Uint8Array): RgbImage {
  checkPngChunks(bytes);
  let png: { width: number; height: number; data: Buffer };
  try {
    png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (e) {
    throw new SampleDecodeError(`corrupt PNG image: ${message(e)}`);
  }
  const { width, height } = png;
  checkSize(width, height);
  // pngjs expands every colour type and bit depth to 8-bit RGBA; alpha is dropped.
  const n = width * height;
  const rgba = png.data;
  if (rgba.length < n * 4) throw new SampleDecodeError('corrupt PNG image: pixel data is shorter than the image size');
  const data = new Uint8Array(n * 3);
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    data[i * 3] = rgba[j] ?? 0;
    data[i * 3 + 1] = rgba[j + 1] ?? 0;
    data[i * 3 + 2] = rgba[j + 2] ?? 0;
  }
  return { width, height, channels: 3, data };
}

function hasEndOfImage(bytes: Uint8Array): boolean {
  // EOI (FF D9) ends the image; some writers append trailers after it, so search backwards.
  for (let i = bytes.length - 2; i >= 2; i--) if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  return false;
}

export function decodeJpeg(bytes: Uint8Array): RgbImage {
  if (!hasEndOfImage(bytes)) throw new SampleDecodeError('truncated JPEG image: no end-of-image marker');
  let img: { width: number; height: number; data: Uint8Array };
  try {
    img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, tolerantDecoding: true, maxMemoryUsageInMB: 1024 });
  } catch (e) {
    throw new SampleDecodeError(`corrupt JPEG image: ${message(e)}`);
  }
  checkSize(img.width, img.height);
  return { width: img.width, height: img.height, channels: 3, data: img.data };
}

/** ITU-R BT.601 luma (0.299 R + 0.587 G + 0.114 B), rounded to the nearest integer. */
export function toGrayscale(img: Image): Image {
  if (img.channels === 1) return img;
  const n = img.width * img.height;
  const out = new Uint8Array(n);
  const d = img.data;
  for (let i = 0, j = 0; i < n; i++, j += 3) {
    out[i] = Math.round(0.299 * (d[j] ?? 0) + 0.587 * (d[j + 1] ?? 0) + 0.114 * (d[j + 2] ?? 0));
  }
  return { width: img.width, height: img.height, channels: 1, data: out };
}

/**
 * Bilinear resampling of the source rectangle (sx, sy, sw, sh) onto a dw × dh grid written at
 * (ox, oy) of `out` (stride outW). Pixel centres are aligned (half-pixel convention), edges clamp.
 */
function bilinear(
  img: Image,
  sx: number,
  sy: number,
  sw: number,
  sh: number,
  out: Uint8Array,
  outW: number,
  ox: number,
  oy: number,
  dw: number,
  dh: number,
): void {
  const c = img.channels;
  const src = img.data;
  const W = img.width;
  const H = img.height;
  const scaleX = sw / dw;
  const scaleY = sh / dh;
  for (let y = 0; y < dh; y++) {
    const fy = Math.min(Math.max(sy + (y + 0.5) * scaleY - 0.5, 0), H - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, H - 1);
    const wy = fy - y0;
    for (let x = 0; x < dw; x++) {
      const fx = Math.min(Math.max(sx + (x + 0.5) * scaleX - 0.5, 0), W - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, W - 1);
      const wx = fx - x0;
      const o = ((oy + y) * outW + ox + x) * c;
      const a = (y0 * W + x0) * c;
      const b = (y0 * W + x1) * c;
      const d = (y1 * W + x0) * c;
      const e = (y1 * W + x1) * c;
      for (let k = 0; k < c; k++) {
        const top = (src[a + k] ?? 0) * (1 - wx) + (src[b + k] ?? 0) * wx;
        const bottom = (src[d + k] ?? 0) * (1 - wx) + (src[e + k] ?? 0) * wx;
        out[o + k] = Math.round(top * (1 - wy) + bottom * wy);
      }
    }
  }
}

/** Resizes to width × height (bilinear); see ResizeMode. Returns the input when nothing changes. */
export function resizeImage<T extends Image>(img: T, width: number, height: number, mode: ResizeMode): T {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new RangeError(`resizeImage: target size must be positive integers, got ${width}×${height}`);
  }
  const W = img.width;
  const H = img.height;
  if (W === width && H === height) return img;
  const out = new Uint8Array(width * height * img.channels);
  if (mode === 'squash') {
    bilinear(img, 0, 0, W, H, out, width, 0, 0, width, height);
  } else if (mode === 'fit-short') {
    // Crop the centre of the source to the target aspect ratio, then scale it.
    const scale = Math.max(width / W, height / H);
    const sw = width / scale;
    const sh = height / scale;
    bilinear(img, (W - sw) / 2, (H - sh) / 2, sw, sh, out, width, 0, 0, width, height);
  } else {
    const scale = Math.min(width / W, height / H);
    const dw = Math.max(1, Math.min(width, Math.round(W * scale)));
    const dh = Math.max(1, Math.min(height, Math.round(H * scale)));
    bilinear(img, 0, 0, W, H, out, width, Math.floor((width - dw) / 2), Math.floor((height - dh) / 2), dw, dh);
  }
  return { ...img, width, height, data: out };
}
