import { dspParamError } from '../common/errors.js';

/** ITU-R 601-2 luma weights of the reference (and PIL), applied per 0..255 channel. */
export const LUMA = { r: 0.299, g: 0.587, b: 0.114 } as const;

export type ImageChannels = 'RGB' | 'Grayscale';

/** [height, width, channels in] with 1 (gray), 3 (RGB) or 4 (RGBA, alpha ignored) input channels. */
export function imageShape(shape: readonly number[]): { height: number; width: number; channels: number } {
  const [height, width, channels] = shape;
  if (shape.length !== 3 || height === undefined || width === undefined || channels === undefined || height < 1 || width < 1 || ![1, 3, 4].includes(channels)) {
    throw dspParamError('image', `expects an image [height, width, 1|3|4 channels], got [${shape.join(', ')}]`, 'connect the block to an image input');
  }
  return { height, width, channels };
}

/** Version of the block's output. 2: grayscale in float32 with float32 weights, as the C does (was float64). */
export const IMAGE_VERSION = 2;

const f = Math.fround;
/** The luma weights divided by 255, as float32 constants (image.c: 0.299f / 255.0f, …). */
const WEIGHT_R = f(f(LUMA.r) / 255);
const WEIGHT_G = f(f(LUMA.g) / 255);
const WEIGHT_B = f(f(LUMA.b) / 255);

/**
 * Pixels 0..255 → 0..1 — the TS twin of c/image.c, float32. 'RGB': each channel / 255 (a gray input is
 * repeated into R, G, B). 'Grayscale': (0.299/255)·R + (0.587/255)·G + (0.114/255)·B, evaluated in
 * that order like the reference (a gray input is treated as R = G = B).
 */
export function runImage(window: ArrayLike<number>, shape: readonly number[], mode: ImageChannels): Float32Array {
  const { height, width } = imageShape(shape);
  const out = new Float32Array(height * width * (mode === 'Grayscale' ? 1 : 3));
  imageInto(window, shape, mode, out);
  return out;
}

/** runImage into `out` (height × width × (1 or 3) values; every one is written). */
export function imageInto(window: ArrayLike<number>, shape: readonly number[], mode: ImageChannels, out: Float32Array): void {
  const { height, width, channels } = imageShape(shape);
  const n = height * width;
  for (let i = 0; i < n; i++) {
    const o = i * channels;
    const r = f(window[o] as number);
    const g = channels === 1 ? r : f(window[o + 1] as number);
    const b = channels === 1 ? r : f(window[o + 2] as number);
    if (mode === 'Grayscale') {
      out[i] = f(f(WEIGHT_R * r) + f(WEIGHT_G * g)) + f(WEIGHT_B * b);
    } else {
      out[3 * i] = r / 255;
      out[3 * i + 1] = g / 255;
      out[3 * i + 2] = b / 255;
    }
  }
}
