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

/**
 * Pixels 0..255 → 0..1. 'RGB': each channel / 255 (a gray input is repeated into R, G, B).
 * 'Grayscale': (0.299/255)·R + (0.587/255)·G + (0.114/255)·B, evaluated in that order like the
 * reference (a gray input is treated as R = G = B).
 */
export function runImage(window: ArrayLike<number>, shape: readonly number[], mode: ImageChannels): Float32Array {
  const { height, width, channels } = imageShape(shape);
  const n = height * width;
  const wr = LUMA.r / 255;
  const wg = LUMA.g / 255;
  const wb = LUMA.b / 255;
  if (mode === 'Grayscale') {
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const o = i * channels;
      const r = window[o] as number;
      const g = channels === 1 ? r : (window[o + 1] as number);
      const b = channels === 1 ? r : (window[o + 2] as number);
      out[i] = wr * r + wg * g + wb * b;
    }
    return out;
  }
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    const o = i * channels;
    const r = window[o] as number;
    out[3 * i] = r / 255;
    out[3 * i + 1] = (channels === 1 ? r : (window[o + 1] as number)) / 255;
    out[3 * i + 2] = (channels === 1 ? r : (window[o + 2] as number)) / 255;
  }
  return out;
}
