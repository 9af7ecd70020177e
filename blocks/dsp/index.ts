/** The built-in DSP blocks, for the registry. */
import type { DspBlock } from '../../core/plugin/types.js';
import flatten from './flatten/index.js';
import image from './image/index.js';
import mfcc from './mfcc/index.js';
import mfe from './mfe/index.js';
import raw from './raw/index.js';
import spectralAnalysis from './spectral-analysis/index.js';
import spectrogram from './spectrogram/index.js';

export const dspBlocks: readonly DspBlock[] = [
  raw,
  flatten,
  spectralAnalysis,
  mfcc,
  mfe,
  spectrogram,
  image,
] as unknown as readonly DspBlock[];

export { flatten, image, mfcc, mfe, raw, spectralAnalysis, spectrogram };
