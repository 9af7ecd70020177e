/**
 * The impulse's timeline: a few steps before the network (e.g. the DSP computing features), one
 * step per op of the network in the order the planner chooses, and a few steps after it (e.g. an
 * anomaly score reading the features). Buffers that are not tensors of the network are placed on
 * it by steps before or after the network — never by op, since the op order is the planner's choice.
 */

/** A step outside the network: `before: 1` is the step just before the first op, `after: 1` the step just after the last. */
export type OutsideStep = { readonly before: number } | { readonly after: number };

/** A buffer the caller adds to the arena, e.g. the DSP's scratch or the features buffer. */
export interface ExtraBuffer {
  readonly id: string;
  readonly bytes: number;
  /** Live from `from` through `to` inclusive. From a step before to a step after the network, it is live throughout the network. */
  readonly from: OutsideStep;
  readonly to: OutsideStep;
}

/** Step numbers: steps before the network are negative (−1 just before the first op), op `p` of the order is step p. */
export interface Timeline {
  readonly stepsBefore: number;
  readonly opCount: number;
  readonly stepsAfter: number;
}

export function stepOf(timeline: Timeline, s: OutsideStep): number {
  return 'before' in s ? -s.before : timeline.opCount - 1 + s.after;
}

export function firstStep(timeline: Timeline): number {
  return -timeline.stepsBefore;
}

/** The last step of the timeline: model outputs are live until here. */
export function lastStep(timeline: Timeline): number {
  return Math.max(0, timeline.opCount - 1 + timeline.stepsAfter);
}

function checkOutside(s: OutsideStep, what: string): number {
  const k = 'before' in s ? s.before : s.after;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`${what}: a step before or after the network is counted from 1, got ${k}`);
  return k;
}

/** Throws when an extra buffer's span runs backwards or its size is not a positive integer. */
export function validateExtraBuffer(b: ExtraBuffer): void {
  if (!Number.isSafeInteger(b.bytes) || b.bytes <= 0) throw new RangeError(`extra buffer ${b.id}: bytes must be a positive integer, got ${b.bytes}`);
  const from = checkOutside(b.from, `extra buffer ${b.id}`);
  const to = checkOutside(b.to, `extra buffer ${b.id}`);
  const backwards = 'after' in b.from ? 'before' in b.to || to < from : 'before' in b.to && to > from;
  if (backwards) throw new RangeError(`extra buffer ${b.id}: its span ends before it starts`);
}

/** The timeline long enough for the extra buffers and for inputs written `inputsBefore` steps before the network. */
export function timelineFor(opCount: number, extras: readonly ExtraBuffer[], inputsBefore: number): Timeline {
  let stepsBefore = inputsBefore;
  let stepsAfter = 0;
  for (const b of extras) {
    for (const s of [b.from, b.to]) {
      if ('before' in s) stepsBefore = Math.max(stepsBefore, s.before);
      else stepsAfter = Math.max(stepsAfter, s.after);
    }
  }
  return { stepsBefore, opCount, stepsAfter };
}
