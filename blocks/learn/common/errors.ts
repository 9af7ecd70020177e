/** User-facing errors of the learn blocks (codes for the error catalogue) and "did you mean" help. */
import { ImpulseError } from '../../../core/errors/impulse-error.js';
import { closest } from '../../../core/util/suggest.js';

export const LearnErrorCode = {
  /** A layer list names a layer type that does not exist. */
  unknownLayer: 'E_LEARN_UNKNOWN_LAYER',
  /** A layer has bad options or does not fit the shape it receives. */
  badLayer: 'E_LEARN_BAD_LAYER',
  /** `layers: preset/...` names no preset. */
  unknownPreset: 'E_LEARN_UNKNOWN_PRESET',
  /** No rows with split 'training' (or none of the chosen labels). */
  noTrainingData: 'E_LEARN_NO_TRAINING_DATA',
  /** A regression label is not a number. */
  badTarget: 'E_LEARN_BAD_TARGET',
  /** A param value the block cannot use (e.g. augmentation that does not fit the feature shape). */
  badParam: 'E_LEARN_BAD_PARAM',
  /** A label named in params is not in the data. */
  unknownLabel: 'E_LEARN_UNKNOWN_LABEL',
  /** The model folder is missing or not written by this block. */
  badModel: 'E_LEARN_BAD_MODEL',
} as const;

/** " Did you mean 'x'?" when a candidate is close enough to be a plausible typo, else ''. */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const best = closest(name, candidates);
  return best === undefined ? '' : ` Did you mean '${best}'?`;
}

export function learnError(code: string, message: string, hint?: string): ImpulseError {
  return new ImpulseError(hint === undefined ? { code, message } : { code, message, hint });
}
