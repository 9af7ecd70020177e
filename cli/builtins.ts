/** The built-in blocks and targets, registered through the same API plugins use. */
import { Registry } from '../core/plugin/registry.js';
import { builtinBlocks } from '../blocks/index.js';
import { builtinTargets } from '../generators/index.js';

export function builtinRegistry(): Registry {
  return new Registry().registerAll(builtinBlocks, 'impulse-kit').registerAll(builtinTargets, 'impulse-kit');
}
