/**
 * What is profiled: the blocks of an impulse (or a bare model) with what the estimate needs of
 * each, and the C SDK generated for them when it can be (it gives the exact arena and the files
 * to size, and is what a measurement builds).
 */
import { generateSdk, type GeneratedSdk } from '../../../generators/cpp/sdk/generate.js';
import { sdkSpecOfImpulse, sdkSpecOfModel, type SdkSpec } from '../../../generators/cpp/sdk/spec.js';
import { ImpulseError } from '../../errors/impulse-error.js';
import { elementCount, type ModelIR } from '../../model/ir.js';
import type { DspBlock, SignalInfo, TargetImpulse, TargetLearn } from '../../plugin/types.js';

export interface SubjectDsp {
  readonly id: string;
  readonly block: DspBlock;
  readonly params: Readonly<Record<string, unknown>>;
  readonly input: SignalInfo;
}

export interface SubjectNetwork {
  readonly id: string;
  readonly model: ModelIR;
  /** Whether it is fed float features (impulse_run) or its own input type directly (a bare int8 model). */
  readonly floatFeatures: boolean;
}

export interface SubjectAnomaly {
  readonly id: string;
  readonly type: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly features: number;
}

export interface ProfileSubject {
  readonly name: string;
  /** 'impulse' or 'model' (a bare .tflite). */
  readonly kind: 'impulse' | 'model';
  readonly dsp: readonly SubjectDsp[];
  readonly networks: readonly SubjectNetwork[];
  readonly anomalies: readonly SubjectAnomaly[];
  /** The generated SDK (of the first network and anomaly block), when the blocks have C. */
  readonly sdk?: { readonly spec: SdkSpec; readonly generated: GeneratedSdk };
  /** Why there is no SDK (a block without C, …). */
  readonly noSdk?: string;
}

function modelOf(l: TargetLearn): ModelIR | undefined {
  return l.int8 ?? l.float;
}

/** The impulse's DSP blocks and its learn blocks with their trained models (int8 when quantized). */
export async function subjectOfImpulse(impulse: TargetImpulse): Promise<ProfileSubject> {
  const networks = impulse.learn.filter((l) => modelOf(l) !== undefined);
  const anomalies = impulse.learn.filter((l) => modelOf(l) === undefined);
  const featuresOf = (l: TargetLearn) => elementCount(l.featureShape);
  const subject = {
    name: impulse.name,
    kind: 'impulse' as const,
    dsp: impulse.dsp.map((d) => ({ id: d.id, block: d.block, params: d.params, input: d.inputInfo })),
    networks: networks.map((l) => ({ id: l.id, model: modelOf(l)!, floatFeatures: true })),
    anomalies: anomalies.map((l) => ({ id: l.id, type: l.block.type, params: l.params, features: featuresOf(l) })),
  };
  // The SDK holds one network and one anomaly block: the first of each.
  const learn = [networks[0], anomalies[0]].filter((l): l is TargetLearn => l !== undefined);
  if (learn.length === 0) return { ...subject, noSdk: 'the impulse has no trained learn block' };
  const precision = networks[0] && !networks[0].int8 ? 'float32' : 'int8';
  try {
    const spec = await sdkSpecOfImpulse({ ...impulse, learn }, precision);
    return { ...subject, sdk: { spec, generated: generateSdk(spec, 'optimized') } };
  } catch (e) {
    if (e instanceof ImpulseError) return { ...subject, noSdk: e.message };
    throw e;
  }
}

/** A bare model (`impulse profile model.tflite`): fed its own input type, no DSP. */
export function subjectOfModel(model: ModelIR, name: string): ProfileSubject {
  const spec = sdkSpecOfModel(model, name);
  const int8In = model.tensors[model.inputs[0]!]!.dtype === 'int8';
  return {
    name,
    kind: 'model',
    dsp: [],
    networks: [{ id: spec.network!.id, model, floatFeatures: !int8In }],
    anomalies: [],
    sdk: { spec, generated: generateSdk(spec, 'optimized') },
  };
}
