/** Every built-in deployment target. */
import type { Target } from '../core/plugin/types.js';
import tfjsTarget from './tfjs/index.js';
import tfliteTarget from './tflite/index.js';

export const builtinTargets: readonly Target[] = [tfjsTarget, tfliteTarget] as readonly Target[];
