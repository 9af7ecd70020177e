/** Seeded augmentation of training batches (in place, pure TS). */
import { learnError, LearnErrorCode } from '../common/errors.js';
import type { Rng } from '../common/random.js';
import type { AugmentationParams } from './params.js';

export type Augmenter = (batch: Float32Array, count: number, rng: Rng) => void;

/** The augmentation function for rows of `shape`, or undefined when everything is off. Throws when it does not fit the shape. */
export function makeAugmenter(params: AugmentationParams, shape: readonly number[]): Augmenter | undefined {
  const size = shape.reduce((a, b) => a * b, 1);
  const steps: Array<(row: Float32Array, rng: Rng) => void> = [];
  const { image, specAugment, noise } = filled(params);

  if (image) {
    if (shape.length < 2 || shape.length > 3) {
      throw learnError(
        LearnErrorCode.badParam,
        `augmentation.image needs [height, width, channels] features, but rows are [${shape.join(', ')}]`,
        'Turn augmentation.image off, or use it on image features.',
      );
    }
    const [h, w, c = 1] = shape as [number, number, number?];
    const { flip, shift, brightness } = image;
    const tmp = new Float32Array(size);
    steps.push((row, rng) => {
      const mirror = flip && rng.next() < 0.5;
      const dy = shift > 0 ? rng.int(2 * shift + 1) - shift : 0;
      const dx = shift > 0 ? rng.int(2 * shift + 1) - shift : 0;
      const scale = brightness > 0 ? 1 + (rng.next() * 2 - 1) * brightness : 1;
      if (!mirror && dx === 0 && dy === 0 && scale === 1) return;
      tmp.fill(0);
      for (let y = 0; y < h; y++) {
        const sy = y - dy;
        if (sy < 0 || sy >= h) continue;
        for (let x = 0; x < w; x++) {
          let sx = x - dx;
          if (sx < 0 || sx >= w) continue;
          if (mirror) sx = w - 1 - sx;
          for (let k = 0; k < c; k++) tmp[(y * w + x) * c + k] = row[(sy * w + sx) * c + k]! * scale;
        }
      }
      row.set(tmp);
    });
  }

  if (specAugment) {
    if (shape.length < 2) {
      throw learnError(
        LearnErrorCode.badParam,
        `augmentation.specAugment needs [frames, coefficients] features, but rows are [${shape.join(', ')}]`,
        'Turn augmentation.specAugment off, or use it after an MFCC / MFE / spectrogram block.',
      );
    }
    const frames = shape[0]!;
    const bins = shape[1]!;
    const inner = size / (frames * bins);
    const { timeMasks, freqMasks, maxWidth } = specAugment;
    steps.push((row, rng) => {
      for (let m = 0; m < timeMasks; m++) {
        const width = rng.int(Math.min(maxWidth, frames) + 1);
        const start = rng.int(frames - width + 1);
        row.fill(0, start * bins * inner, (start + width) * bins * inner);
      }
      for (let m = 0; m < freqMasks; m++) {
        const width = rng.int(Math.min(maxWidth, bins) + 1);
        const start = rng.int(bins - width + 1);
        for (let t = 0; t < frames; t++) row.fill(0, (t * bins + start) * inner, (t * bins + start + width) * inner);
      }
    });
  }

  if (noise > 0) {
    const sd = noise;
    steps.push((row, rng) => {
      for (let i = 0; i < row.length; i++) row[i]! += sd * rng.normal();
    });
  }

  if (steps.length === 0) return undefined;
  return (batch, count, rng) => {
    for (let r = 0; r < count; r++) {
      const row = batch.subarray(r * size, (r + 1) * size);
      for (const step of steps) step(row, rng);
    }
  };
}

/** Every option filled in (the spec loader cannot fill defaults inside `false | {...}`); `true` means defaults. */
function filled(p: AugmentationParams) {
  const obj = <T extends object>(v: unknown): Partial<T> | undefined => (v === true ? {} : v && typeof v === 'object' ? (v as Partial<T>) : undefined);
  const img = obj<{ flip: boolean; shift: number; brightness: number }>(p.image);
  const spec = obj<{ timeMasks: number; freqMasks: number; maxWidth: number }>(p.specAugment);
  return {
    noise: p.noise ?? 0,
    image: img && { flip: img.flip ?? false, shift: img.shift ?? 0, brightness: img.brightness ?? 0 },
    specAugment: spec && { timeMasks: spec.timeMasks ?? 1, freqMasks: spec.freqMasks ?? 1, maxWidth: spec.maxWidth ?? 2 },
  };
}
