/** Public API of impulse-kit (for plugins and the TypeScript DSL). */
export { defineBlock, defineTarget } from './core/plugin/define.js';
export type * from './core/plugin/types.js';
export type * from './core/artifact/types.js';
export { ImpulseError, ImpulseErrors } from './core/errors/impulse-error.js';
export * from './pipelines/dsl/index.js';
export type { BuildModel, BuildModelArgs, TrainArgs, TrainHistory, TrainModel } from './blocks/learn/expert/api.js';
