/** Every built-in deployment target. */
import type { Target } from '../core/plugin/types.js';
import tfjsTarget from './tfjs/index.js';

export const builtinTargets: readonly Target[] = [tfjsTarget] as readonly Target[];
