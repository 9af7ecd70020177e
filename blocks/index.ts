/** Every built-in block. Adding a block: one folder, one line in its kind's index. */
import type { Block } from '../core/plugin/types.js';
import { dspBlocks } from './dsp/index.js';
import { inputBlocks } from './input/index.js';
import { learnBlocks } from './learn/index.js';

export const builtinBlocks: readonly Block[] = [...inputBlocks, ...dspBlocks, ...learnBlocks] as readonly Block[];
