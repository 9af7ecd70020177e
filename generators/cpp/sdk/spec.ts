/**
 * What the C SDK is generated from: the impulse reduced to what runs on the device — the input
 * window, each DSP block's C instance and where its features go, at most one network
 * (classification or regression) and one anomaly block, each reading slices of the features.
 * Built from a whole impulse (the cpp and arduino targets) or from a bare model (`impulse compile`).
 */
import { ImpulseError } from '../../../core/errors/impulse-error.js';
import { elementCount, type ModelIR } from '../../../core/model/ir.js';
import type { BlockCCode, LearnTask, TargetImpulse, TargetLearn } from '../../../core/plugin/types.js';
import { cIdentifier } from '../c-syntax.js';

export type Precision = 'int8' | 'float32';

/** A run of consecutive floats of the features buffer. */
export interface FeatureSlice {
  readonly offset: number;
  readonly length: number;
}

export interface SdkDsp {
  readonly id: string;
  readonly type: string;
  /** The instance's C function. */
  readonly fn: string;
  readonly code: BlockCCode;
  /** 'input' (the signal) or the features offset of the DSP block it reads. */
  readonly source: { readonly kind: 'input' } | { readonly kind: 'features'; readonly offset: number };
  /** Where its output starts in the features buffer, and how many floats. */
  readonly offset: number;
  readonly length: number;
}

export interface SdkNetwork {
  readonly id: string;
  readonly task: LearnTask;
  /** C name prefix of the model's files and functions, e.g. model_classifier. */
  readonly name: string;
  readonly model: ModelIR;
  readonly precision: Precision;
  readonly input: readonly FeatureSlice[];
}

export interface SdkAnomaly {
  readonly id: string;
  readonly fn: string;
  readonly code: BlockCCode;
  readonly input: readonly FeatureSlice[];
}

export interface SdkInput {
  /** 'signal': a window of the input block (time series or image); 'features': a bare model's input. */
  readonly kind: 'signal' | 'features';
  /** Floats per call of impulse_run. */
  readonly length: number;
  readonly shape: readonly number[];
  readonly frequency?: number;
  readonly axes?: readonly string[];
}

export interface SdkSpec {
  readonly name: string;
  readonly input: SdkInput;
  readonly dsp: readonly SdkDsp[];
  readonly featureCount: number;
  readonly network?: SdkNetwork;
  readonly anomaly?: SdkAnomaly;
  /** Output labels of the network (classification), in the model's order. */
  readonly labels: readonly string[];
}

function cppError(message: string, hint: string): ImpulseError {
  return new ImpulseError({ code: 'E_DEPLOY_CPP', message, hint });
}

/** The generated C implements TFLite's two integer arithmetics, not XNNPACK's (see Rounding). */
function requireDeployableRounding(model: ModelIR, what: string): void {
  if (model.metadata.rounding !== 'xnnpack') return;
  throw cppError(
    `${what} is set to the int8 arithmetic of TFLite's XNNPACK delegate (rounding 'xnnpack'), which the generated C does not implement`,
    "Set its rounding to 'single' (TFLite's builtin kernels) or 'double' (TensorFlow Lite Micro); 'xnnpack' is for comparing outputs with the desktop TFLite runtime.",
  );
}

/** Slices of the features buffer a learn block reads: its `from` blocks' outputs, in its order. */
function slicesOf(from: readonly string[], dsp: readonly SdkDsp[]): FeatureSlice[] {
  return from.map((id) => {
    const d = dsp.find((x) => x.id === id)!;
    return { offset: d.offset, length: d.length };
  });
}

function networkOf(l: TargetLearn, precision: Precision, dsp: readonly SdkDsp[]): SdkNetwork {
  let model: ModelIR | undefined;
  if (precision === 'int8') {
    model = l.int8 ?? (l.float && l.float.tensors[l.float.inputs[0]!]!.dtype === 'int8' ? l.float : undefined);
    if (!model) throw cppError(`learn block '${l.id}' has no int8 model to generate C for`, `Quantize it (learn.${l.id}.quantize: { type: int8 }) or deploy with params: { precision: float32 }.`);
  } else {
    model = l.float;
    if (!model || model.tensors[model.inputs[0]!]!.dtype !== 'float32') throw cppError(`learn block '${l.id}' has no float32 model`, 'Deploy it with params: { precision: int8 }.');
  }
  requireDeployableRounding(model, `learn block '${l.id}'`);
  return { id: l.id, task: l.block.task, name: `model_${cIdentifier(l.id)}`, model, precision, input: slicesOf(l.from, dsp) };
}

export async function sdkSpecOfImpulse(impulse: TargetImpulse, precision: Precision): Promise<SdkSpec> {
  const dsp: SdkDsp[] = [];
  let offset = 0;
  for (const d of impulse.dsp) {
    if (!d.block.c) {
      throw cppError(`DSP block '${d.id}' (${d.block.type}) has no C implementation`, `Use a block with a C implementation, or deploy with another target (tflite, tfjs). Plugin blocks provide C with a c() member (see the plugin docs).`);
    }
    const fn = `dsp_${cIdentifier(d.id)}`;
    const length = elementCount(d.outputShape);
    const fromId = d.from[0]!;
    const source = fromId === 'input' ? ({ kind: 'input' } as const) : ({ kind: 'features', offset: dsp.find((x) => x.id === fromId)!.offset } as const);
    dsp.push({ id: d.id, type: d.block.type, fn, code: d.block.c(d.params as never, d.inputInfo, { fn }), source, offset, length });
    offset += length;
  }
  const networks = impulse.learn.filter((l) => l.float || l.int8);
  const anomalies = impulse.learn.filter((l) => !l.float && !l.int8);
  if (networks.length > 1) {
    throw cppError(`the cpp target generates one network per library, this deploy entry has ${networks.length} (${networks.map((l) => l.id).join(', ')})`, 'Add one deploy entry per network with `from: [<learn id>]`.');
  }
  if (anomalies.length > 1) throw cppError(`the cpp target generates one anomaly block per library, this deploy entry has ${anomalies.length}`, 'Add one deploy entry per anomaly block with `from: [<learn id>]`.');
  const network = networks[0] ? networkOf(networks[0], precision, dsp) : undefined;
  let anomaly: SdkAnomaly | undefined;
  const a = anomalies[0];
  if (a) {
    if (!a.block.c) throw cppError(`learn block '${a.id}' (${a.block.type}) has no C implementation`, 'Deploy it with another target, or leave it out of this deploy entry with `from:`.');
    const fn = `anomaly_${cIdentifier(a.id)}`;
    anomaly = { id: a.id, fn, code: await a.block.c(a.modelDir, a.params as never, a.featureShape, { fn }), input: slicesOf(a.from, dsp) };
  }
  if (!network && !anomaly) throw cppError('nothing to generate: the deploy entry names no learn block with a network or C code', 'Deploy a classifier, regression or anomaly block.');
  const info = impulse.input.info;
  const input: SdkInput = {
    kind: 'signal',
    length: elementCount(info.shape),
    shape: info.shape,
    ...(info.frequency !== undefined ? { frequency: info.frequency } : {}),
    ...(info.axes ? { axes: info.axes } : {}),
  };
  return { name: impulse.name, input, dsp, featureCount: offset, ...(network ? { network } : {}), ...(anomaly ? { anomaly } : {}), labels: network?.task === 'classification' ? networks[0]!.labels : [] };
}

/** A bare model (`impulse compile model.tflite`): its input is the features, no DSP. */
export function sdkSpecOfModel(model: ModelIR, name: string): SdkSpec {
  requireDeployableRounding(model, `model '${name}'`);
  const inputTensor = model.tensors[model.inputs[0]!]!;
  const outputTensor = model.tensors[model.outputs[0]!]!;
  const n = elementCount(inputTensor.shape);
  const outputs = elementCount(outputTensor.shape);
  const precision: Precision = model.tensors.some((t) => !t.data && t.dtype === 'int8') ? 'int8' : 'float32';
  // names for the outputs of a small classifier without labels; none for large outputs (an
  // autoencoder's 640 values would be kilobytes of strings in flash)
  const MAX_NAMED_OUTPUTS = 64;
  const labels = model.metadata.labels && model.metadata.labels.length === outputs ? model.metadata.labels : outputs <= MAX_NAMED_OUTPUTS ? Array.from({ length: outputs }, (_, i) => `output_${i}`) : [];
  return {
    name,
    input: { kind: 'features', length: n, shape: inputTensor.shape },
    dsp: [],
    featureCount: n,
    network: { id: 'model', task: 'classification', name: 'model', model, precision, input: [{ offset: 0, length: n }] },
    labels,
  };
}
