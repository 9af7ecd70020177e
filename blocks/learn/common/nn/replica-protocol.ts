/**
 * What the main thread and a replica worker share. Set-up goes through postMessage (`ReplicaInit`,
 * answered by a `ReplicaReply`); every training step then goes through shared memory: the rows,
 * the weights and the gradients, and a control block of Int32 words that both sides poll.
 *
 * Why polling: a step's hand-offs are ~1 ms apart, and a thread that sleeps that long on these VMs
 * takes ~0.5–1 ms to wake (its virtual CPU halts; measured with postMessage: 0.5 ms to the worker,
 * 0.8 ms back, per step, against 0.05 ms for a ping-pong between busy threads). So each side spins
 * on the control words for a bounded time (SPIN_MS) before it sleeps (Atomics.wait / waitAsync).
 */
import type { BackendName } from '../tf/load.js';
import { sizeOf } from '../tf/kernels/access.js';
import type { LossKind } from './shard-gradients.js';

export interface ReplicaInit {
  readonly op: 'init';
  readonly backend: BackendName;
  /** The model's topology (model.toJSON(null, false)): the worker builds the same layers. */
  readonly topology: unknown;
  /** Shapes of the trainable variables, in order (checked against the rebuilt model). */
  readonly shapes: readonly (readonly number[])[];
  readonly loss: LossKind;
  readonly rowShape: readonly number[];
  readonly outUnits: number;
  /** Sizes of the shared buffer `io` (ReplicaIo). */
  readonly layout: ReplicaLayout;
  /** The trainable weights, flat in variable order; written by the main thread before every step. */
  readonly weights: SharedArrayBuffer;
  /** This replica's control block, rows and gradients (see ReplicaIo). */
  readonly io: SharedArrayBuffer;
}

export type ReplicaReply = { ok: true } | { ok: false; error: string; stack?: string };

/** Requests through the control block. */
export const Op = { step: 1, sums: 2, stop: 3 } as const;
export type Op = (typeof Op)[keyof typeof Op];

/** Word indexes of the control block. */
export const Ctrl = {
  /** Number of the latest request (the main thread increments it last, then notifies). */
  request: 0,
  op: 1,
  /** Rows of this shard, and of the whole batch (the loss divisor). */
  count: 2,
  divisor: 3,
  /** Number of the latest request answered (the worker writes it last, then notifies). */
  answered: 4,
  /** 0, or 1 when the answer is an error (its message follows as a postMessage ReplicaReply). */
  failed: 5,
  /**
   * Variables whose gradients of the current step are written (the main thread sets 0 before it
   * posts a step; the worker counts up as the backward pass produces them, in the order both
   * sides' shards produce them, and ends at the variable count).
   */
  published: 6,
  /** Dropout seeds of the step start here. */
  seeds: 8,
} as const;

/** How long a side polls before it sleeps. */
export const SPIN_MS = 20;

/** Views of one replica's shared buffer: control words | sums | x | y | w | gradients. */
export class ReplicaIo {
  readonly ctrl: Int32Array;
  /** [loss sum, hits], written by the worker for Op.sums. */
  readonly sums: Float64Array;
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly w: Float32Array;
  readonly grads: Float32Array;

  constructor(
    readonly buffer: SharedArrayBuffer,
    readonly layout: ReplicaLayout,
  ) {
    const { seeds, shardCapacity, rowSize, outUnits, parameters } = layout;
    this.ctrl = new Int32Array(buffer, 0, ctrlWords(seeds));
    let at = ctrlWords(seeds) * 4;
    this.sums = new Float64Array(buffer, at, 2);
    at += 16;
    const take = (n: number) => {
      const view = new Float32Array(buffer, at, n);
      at += n * 4;
      return view;
    };
    this.x = take(shardCapacity * rowSize);
    this.y = take(shardCapacity * outUnits);
    this.w = take(shardCapacity);
    this.grads = take(parameters);
  }

  static allocate(layout: ReplicaLayout): ReplicaIo {
    const { seeds, shardCapacity, rowSize, outUnits, parameters } = layout;
    const bytes = ctrlWords(seeds) * 4 + 16 + 4 * (shardCapacity * (rowSize + outUnits + 1) + parameters);
    return new ReplicaIo(new SharedArrayBuffer(bytes), layout);
  }
}

export interface ReplicaLayout {
  /** Dropout seeds per step. */
  readonly seeds: number;
  readonly shardCapacity: number;
  readonly rowSize: number;
  readonly outUnits: number;
  readonly parameters: number;
}

/** Where each variable's values start in the flat weights and gradients (variable order). */
export function variableOffsets(variables: readonly { readonly name: string; readonly shape: readonly number[] }[]): Map<string, number> {
  const offsets = new Map<string, number>();
  let at = 0;
  for (const v of variables) {
    offsets.set(v.name, at);
    at += sizeOf(v.shape);
  }
  return offsets;
}

/** Control words, rounded up to 8-byte alignment for the sums that follow. */
const ctrlWords = (seeds: number) => Math.ceil((Ctrl.seeds + seeds) / 2) * 2;

/** Polls until ctrl[index] !== value or `ms` have passed; true when it changed. */
export function spinWhileEquals(ctrl: Int32Array, index: number, value: number, ms: number): boolean {
  return spinUntil(() => Atomics.load(ctrl, index) !== value, ms);
}

/** Polls `done` until it is true or `ms` have passed; true when it became true. */
export function spinUntil(done: () => boolean, ms: number): boolean {
  const until = performance.now() + ms;
  for (let i = 0; ; i++) {
    if (done()) return true;
    if ((i & 1023) === 1023 && performance.now() > until) return false;
  }
}
