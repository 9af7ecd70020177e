/**
 * What the main thread and a replica worker share: the messages, and the layout of the shared
 * memory that carries a step's rows, the weights and the gradients without copying them through
 * postMessage.
 */
import type { BackendName } from '../../../../core/tf/load.js';
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
  readonly shardCapacity: number;
  /** The trainable weights, flat in variable order; written by the main thread before every step. */
  readonly weights: SharedArrayBuffer;
  /** This replica's rows and gradients (see ReplicaIo). */
  readonly io: SharedArrayBuffer;
}

export interface ReplicaStep {
  readonly op: 'step';
  readonly count: number;
  readonly divisor: number;
  /** Seeds of the dropout layers, in layer order. */
  readonly seeds: readonly number[];
}

export interface ReplicaSums {
  readonly op: 'sums';
}

export type ReplicaRequest = ReplicaInit | ReplicaStep | ReplicaSums;

export type ReplicaReply = { ok: true; sums?: [number, number] } | { ok: false; error: string; stack?: string };

/** Views of one replica's shared buffer: x | y | w | gradients, float32. */
export class ReplicaIo {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly w: Float32Array;
  readonly grads: Float32Array;

  constructor(
    readonly buffer: SharedArrayBuffer,
    shardCapacity: number,
    rowSize: number,
    outUnits: number,
    parameters: number,
  ) {
    let at = 0;
    const take = (n: number) => {
      const view = new Float32Array(buffer, at * 4, n);
      at += n;
      return view;
    };
    this.x = take(shardCapacity * rowSize);
    this.y = take(shardCapacity * outUnits);
    this.w = take(shardCapacity);
    this.grads = take(parameters);
  }

  static bytes(shardCapacity: number, rowSize: number, outUnits: number, parameters: number): number {
    return 4 * (shardCapacity * (rowSize + outUnits + 1) + parameters);
  }
}

export const elementCount = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
