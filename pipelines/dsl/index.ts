export { impulse, ImpulseBuilder, type DataOptions, type BlockRef, type TargetRef, type InputUse } from './builder.js';
export * from './blocks.js';
export { layers, type LayerSpec } from './layers.js';
