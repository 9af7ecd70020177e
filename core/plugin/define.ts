import type { TObject } from '@sinclair/typebox';
import type { DspBlock, InputBlock, LearnBlock, Target } from './types.js';

/** Declares a block. Identity function: it exists for the types and as the plugin entry point. */
export function defineBlock<P extends TObject>(block: InputBlock<P>): InputBlock<P>;
export function defineBlock<P extends TObject>(block: DspBlock<P>): DspBlock<P>;
export function defineBlock<P extends TObject>(block: LearnBlock<P>): LearnBlock<P>;
export function defineBlock(block: InputBlock | DspBlock | LearnBlock): InputBlock | DspBlock | LearnBlock {
  return block;
}

export function defineTarget<P extends TObject>(target: Target<P>): Target<P> {
  return target;
}
