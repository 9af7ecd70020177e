/** The memory planner: arena offsets for a model's tensors, computed at generation time. */
export { planMemory, type MemoryPlan, type OrderSearch, type PlanOptions, type PlannedBuffer, type PlanStep } from './plan.js';
export type { ExtraBuffer, OutsideStep } from './timeline.js';
export type { BufferContents } from './lifetimes.js';
export { packBuffers, packGreedyBySize, type Packing, type PackOptions, type PackStrategy } from './pack.js';
export { DEFAULT_ALIGNMENT, type LiveBuffer } from './buffer.js';
export { alignedLowerBound, peakLiveBytes } from './bounds.js';
export { packingProblems } from './check.js';
export { planSummary } from './summary.js';
