/** The built-in input blocks. */
import type { InputBlock } from '../../core/plugin/types.js';
import image from './image/index.js';
import timeSeries from './time-series/index.js';

export { default as timeSeries } from './time-series/index.js';
export { default as image } from './image/index.js';

export const inputBlocks: readonly InputBlock[] = [timeSeries, image];
