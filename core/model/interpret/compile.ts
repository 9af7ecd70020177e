/**
 * The reference interpreter: a model IR compiled once into a list of steps, each one kernel call on
 * preallocated tensors. Kernels are chosen by the tensors' types: float32 ops run the float
 * kernels, int8 ops the integer kernels that follow TFLite Micro's reference arithmetic (so one
 * engine runs float models, int8 models and mixed ones with QUANTIZE/DEQUANTIZE at their edges).
 */
import { elementCount, type ModelIR, type Op, type TensorInfo } from '../ir.js';
import { constantData } from '../tensor-data.js';
import { addFloat, addInt8, prepareAddFloat, prepareAddInt8 } from '../kernels/add.js';
import { conv2dFloat, conv2dInt8, prepareConv2dFloat, prepareConv2dInt8 } from '../kernels/conv2d.js';
import { concat, pad, prepareConcat, preparePad, prepareQuantize, quantize } from '../kernels/data-movement.js';
import { depthwiseFloat, depthwiseInt8, prepareDepthwiseFloat, prepareDepthwiseInt8 } from '../kernels/depthwise-conv2d.js';
import { fullyConnectedFloat, fullyConnectedInt8, prepareFullyConnectedFloat, prepareFullyConnectedInt8 } from '../kernels/fully-connected.js';
import { conv2dHybrid, fullyConnectedHybrid } from '../kernels/hybrid.js';
import { scaleOf } from '../kernels/quant-params.js';
import { avgPoolFloat, avgPoolInt8, maxPoolFloat, maxPoolInt8, preparePoolFloat, preparePoolInt8 } from '../kernels/pool.js';
import { prepareSoftmaxFloat, prepareSoftmaxInt8, softmaxFloat, softmaxInt8 } from '../kernels/softmax.js';

export type Values = Float32Array | Int8Array;

/** Called with every activation tensor's values as they are produced (model inputs first). */
export type TensorObserver = (tensor: number, values: Values) => void;

export interface CompiledModel {
  readonly model: ModelIR;
  /** Runs one inference; inputs in the dtype of each model input. Returns the outputs (views, overwritten by the next run). */
  run(inputs: readonly ArrayLike<number>[], observe?: TensorObserver): Values[];
}

function allocate(t: TensorInfo): Values {
  const n = elementCount(t.shape);
  if (t.dtype === 'float32') return new Float32Array(n);
  if (t.dtype === 'int8') return new Int8Array(n);
  throw new Error(`tensor '${t.name}': ${t.dtype} activations are not supported by the interpreter`);
}

export function compileModel(model: ModelIR): CompiledModel {
  const values: (Values | Int32Array | Uint8Array | Int16Array | undefined)[] = model.tensors.map((t, i) => (t.data ? constantData(model, i) : allocate(t)));
  const steps = model.ops.map((op) => compileOp(model, op, values));
  return {
    model,
    run(inputs, observe) {
      if (inputs.length !== model.inputs.length) throw new Error(`the model has ${model.inputs.length} inputs, got ${inputs.length}`);
      model.inputs.forEach((t, k) => {
        const target = values[t] as Values;
        const x = inputs[k]!;
        if (x.length !== target.length) throw new Error(`input ${k} ('${model.tensors[t]!.name}') takes ${target.length} values, got ${x.length}`);
        target.set(x);
        observe?.(t, target);
      });
      for (let i = 0; i < steps.length; i++) {
        steps[i]!();
        if (observe) for (const t of model.ops[i]!.outputs) observe(t, values[t] as Values);
      }
      return model.outputs.map((t) => values[t] as Values);
    },
  };
}

function compileOp(model: ModelIR, op: Op, values: readonly (ArrayLike<number> | undefined)[]): () => void {
  const io = (i: number) => values[op.inputs[i]!] as Values;
  const optional = (i: number) => ((op.inputs[i] ?? -1) >= 0 ? values[op.inputs[i]!] : undefined);
  const out = values[op.outputs[0]!] as Values;
  const int8 = model.tensors[op.inputs[0]!]!.dtype === 'int8';
  // float activations with int8 weights: TFLite's hybrid (dynamic range) kernels
  const weights = op.op === 'conv2d' || op.op === 'depthwiseConv2d' || op.op === 'fullyConnected' ? model.tensors[op.inputs[1]!]! : undefined;
  const hybrid = !int8 && weights?.dtype === 'int8';
  const hybridScratch = () => ({ quantized: new Int8Array(elementCount(model.tensors[op.inputs[0]!]!.shape)) });
  const f32 = (v: unknown) => v as Float32Array;
  const i8 = (v: unknown) => v as Int8Array;
  const i32 = (v: unknown) => v as Int32Array | undefined;
  switch (op.op) {
    case 'conv2d': {
      if (int8) {
        const p = prepareConv2dInt8(model, op);
        return () => conv2dInt8(p, i8(io(0)), i8(io(1)), i32(optional(2)), i8(out));
      }
      const p = prepareConv2dFloat(model, op);
      if (hybrid) {
        const scratch = hybridScratch();
        return () => conv2dHybrid(p, scaleOf(weights!), f32(io(0)), i8(io(1)), optional(2) as Float32Array | undefined, f32(out), scratch);
      }
      return () => conv2dFloat(p, f32(io(0)), f32(io(1)), optional(2) as Float32Array | undefined, f32(out));
    }
    case 'depthwiseConv2d': {
      if (int8) {
        const p = prepareDepthwiseInt8(model, op);
        return () => depthwiseInt8(p, i8(io(0)), i8(io(1)), i32(optional(2)), i8(out));
      }
      if (hybrid) throw new Error(`depthwise conv '${model.tensors[op.outputs[0]!]!.name}': float activations with int8 weights (a hybrid op) are not supported by the interpreter`);
      const p = prepareDepthwiseFloat(model, op);
      return () => depthwiseFloat(p, f32(io(0)), f32(io(1)), optional(2) as Float32Array | undefined, f32(out));
    }
    case 'fullyConnected': {
      if (int8) {
        const p = prepareFullyConnectedInt8(model, op);
        return () => fullyConnectedInt8(p, i8(io(0)), i8(io(1)), i32(optional(2)), i8(out));
      }
      const p = prepareFullyConnectedFloat(model, op);
      if (hybrid) {
        const scratch = hybridScratch();
        return () => fullyConnectedHybrid(p, scaleOf(weights!), f32(io(0)), i8(io(1)), optional(2) as Float32Array | undefined, f32(out), scratch);
      }
      return () => fullyConnectedFloat(p, f32(io(0)), f32(io(1)), optional(2) as Float32Array | undefined, f32(out));
    }
    case 'maxPool2d': {
      if (int8) {
        const p = preparePoolInt8(model, op);
        return () => maxPoolInt8(p, i8(io(0)), i8(out));
      }
      const p = preparePoolFloat(model, op);
      return () => maxPoolFloat(p, f32(io(0)), f32(out));
    }
    case 'avgPool2d':
    case 'globalAvgPool': {
      if (int8) {
        const p = preparePoolInt8(model, op);
        return () => avgPoolInt8(p, i8(io(0)), i8(out));
      }
      const p = preparePoolFloat(model, op);
      return () => avgPoolFloat(p, f32(io(0)), f32(out));
    }
    case 'reshape':
      return () => out.set(io(0));
    case 'softmax': {
      if (int8) {
        const p = prepareSoftmaxInt8(model, op);
        return () => softmaxInt8(p, i8(io(0)), i8(out));
      }
      const p = prepareSoftmaxFloat(model, op);
      return () => softmaxFloat(p, f32(io(0)), f32(out));
    }
    case 'add': {
      if (int8) {
        const p = prepareAddInt8(model, op);
        return () => addInt8(p, i8(io(0)), i8(io(1)), i8(out));
      }
      const p = prepareAddFloat(model, op);
      return () => addFloat(p, f32(io(0)), f32(io(1)), f32(out));
    }
    case 'concat': {
      const p = prepareConcat(model, op);
      const inputs = op.inputs.map((_, k) => io(k));
      return () => concat(p, inputs, out);
    }
    case 'pad': {
      const p = preparePad(model, op);
      return () => pad(p, io(0), out);
    }
    case 'quantize':
    case 'dequantize': {
      const p = prepareQuantize(model, op);
      return () => quantize(p, io(0), out);
    }
  }
}
