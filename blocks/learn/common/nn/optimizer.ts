/**
 * The optimizers of the training loop behind one small interface. Adam runs as one fused kernel per
 * variable where the backend has it (blocks/learn/common/tf/kernels/adam-update.ts: WASM and CPU), otherwise — and
 * for SGD with momentum — TF.js's own optimizers.
 */
import type { NamedTensorMap, Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';
import { ADAM_UPDATE } from '../tf/kernels/adam-update.js';
import type { LoadedTf, TfCore } from '../tf/load.js';

export interface TrainingOptimizer {
  /** One step on `loss` (a function of `vars`); returns the loss, which the caller disposes. */
  minimize(loss: () => Scalar, vars: readonly Variable[]): Scalar;
  /** One step with gradients computed elsewhere (by variable name); the caller disposes them. */
  apply(grads: NamedTensorMap, vars: readonly Variable[]): void;
  /**
   * Where the optimizer allows it: starts one step whose gradients arrive one variable at a time
   * (each variable once; the caller disposes the gradients). The same step as `apply` with all of them.
   */
  beginStep?(): (variable: Variable, grad: Tensor) => void;
  setLearningRate(lr: number): void;
  dispose(): void;
}

/** tf.train.adam's defaults (ε = the float32 backends' epsilon). */
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-7;

export function makeOptimizer(loaded: LoadedTf, kind: 'adam' | 'sgd', learningRate: number): TrainingOptimizer {
  const { tf } = loaded;
  if (kind === 'adam' && tf.getKernel(ADAM_UPDATE, tf.getBackend()) !== undefined) return new FusedAdam(tf, learningRate);
  const optimizer = kind === 'sgd' ? tf.train.momentum(learningRate, 0.9) : tf.train.adam(learningRate, BETA1, BETA2, EPSILON);
  return {
    minimize: (loss, vars) => optimizer.minimize(loss, true, [...vars])!,
    apply: (grads, vars) => optimizer.applyGradients(vars.filter((v) => grads[v.name]).map((v) => ({ name: v.name, tensor: grads[v.name]! }))),
    setLearningRate(lr) {
      (optimizer as unknown as { learningRate: number }).learningRate = lr;
      if (kind === 'sgd') (optimizer as unknown as { setLearningRate(lr: number): void }).setLearningRate(lr);
    },
    dispose: () => optimizer.dispose(),
  };
}

/** Adam with one ImpulseAdamUpdate kernel per variable; its moment slots are updated in place. */
export class FusedAdam implements TrainingOptimizer {
  private step = 0;
  private readonly slots = new Map<Variable, { m: Tensor; v: Tensor }>();

  constructor(
    private readonly tf: TfCore,
    private learningRate: number,
  ) {}

  minimize(loss: () => Scalar, vars: readonly Variable[]): Scalar {
    const { value, grads } = this.tf.variableGrads(loss, [...vars]);
    this.apply(grads, vars);
    this.tf.dispose(Object.values(grads));
    return value;
  }

  apply(grads: NamedTensorMap, vars: readonly Variable[]): void {
    const update = this.beginStep();
    for (const variable of vars) {
      const grad = grads[variable.name];
      if (grad !== undefined) update(variable, grad);
    }
  }

  beginStep(): (variable: Variable, grad: Tensor) => void {
    const { tf } = this;
    this.step++;
    const attrs = { learningRate: this.learningRate, beta1: BETA1, beta2: BETA2, epsilon: EPSILON, step: this.step };
    return (variable, grad) => {
      let slot = this.slots.get(variable);
      if (slot === undefined) {
        // fresh buffers of their own: the kernel writes into them
        slot = { m: tf.keep(tf.zeros(variable.shape)), v: tf.keep(tf.zeros(variable.shape)) };
        this.slots.set(variable, slot);
      }
      const next = tf.engine().runKernel(ADAM_UPDATE, { param: variable, grad, m: slot.m, v: slot.v }, attrs as never) as Tensor;
      variable.assign(next);
      next.dispose();
    };
  }

  setLearningRate(lr: number): void {
    this.learningRate = lr;
  }

  dispose(): void {
    for (const { m, v } of this.slots.values()) this.tf.dispose([m, v]);
    this.slots.clear();
  }
}
