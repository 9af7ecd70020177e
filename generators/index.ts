/** Every built-in deployment target. */
import type { Target } from '../core/plugin/types.js';
import arduinoTarget from './arduino/index.js';
import cppTarget from './cpp/index.js';
import tfjsTarget from './tfjs/index.js';
import tfliteTarget from './tflite/index.js';

export const builtinTargets: readonly Target[] = [tfjsTarget, tfliteTarget, cppTarget, arduinoTarget] as readonly Target[];
