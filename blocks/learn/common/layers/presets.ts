/**
 * Built-in architectures, named `preset/<name>`. Each is an ordinary layer list; the output layer
 * (dense softmax, one unit per label; or one linear unit for regression) is appended as usual.
 */
export const PRESETS = {
  /** Small fully connected net for spectral / statistical motion features. */
  'preset/dense-motion': [{ dense: { units: 20, activation: 'relu' } }, { dense: { units: 10, activation: 'relu' } }],
  /** 1-D convolutions over [frames, coefficients] (MFCC / MFE keyword spotting). */
  'preset/conv1d-audio': [
    { conv1d: { filters: 8, kernel: 3, activation: 'relu' } },
    { maxPool1d: { poolSize: 2, padding: 'same' } },
    { dropout: 0.25 },
    { conv1d: { filters: 16, kernel: 3, activation: 'relu' } },
    { maxPool1d: { poolSize: 2, padding: 'same' } },
    { dropout: 0.25 },
    { flatten: {} },
  ],
  /** 2-D convolutions over a spectrogram [frames, bins] treated as a one-channel image. */
  'preset/conv2d-spectrogram': [
    { conv2d: { filters: 8, kernel: 3, activation: 'relu' } },
    { maxPool2d: { poolSize: 2, padding: 'same' } },
    { dropout: 0.25 },
    { conv2d: { filters: 16, kernel: 3, activation: 'relu' } },
    { maxPool2d: { poolSize: 2, padding: 'same' } },
    { dropout: 0.25 },
    { flatten: {} },
  ],
  /** Small CNN for images [height, width, channels]. */
  'preset/conv2d-image': [
    { conv2d: { filters: 16, kernel: 3, activation: 'relu' } },
    { maxPool2d: { poolSize: 2, padding: 'same' } },
    { conv2d: { filters: 32, kernel: 3, activation: 'relu' } },
    { maxPool2d: { poolSize: 2, padding: 'same' } },
    { dropout: 0.25 },
    { flatten: {} },
    { dense: { units: 32, activation: 'relu' } },
  ],
} as const;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];
