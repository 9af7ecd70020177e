/** Shared by the TFLite reader and writer tests: the fixture files, seeded randomness, ArmNN's view of a file. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ARMNN_PYTHON } from '../oracles/armnn.js';
import { fixturesDir } from '../support/shared.js';

export const FIXTURES = [
  'kws_ref_model.tflite',
  'kws_ref_model_float32.tflite',
  'vww_96_int8.tflite',
  'pretrainedResnet_quant.tflite',
  'ad01_int8.tflite',
  'micro_speech_quantized.tflite',
  'hello_world_int8.tflite',
] as const;

/** ArmNN refuses the float KWS (its hybrid int8 conv weights); the six others are int8. */
export const INT8_FIXTURES = FIXTURES.filter((f) => f !== 'kws_ref_model_float32.tflite');

export const fixturePath = (file: string): string => path.join(fixturesDir, 'tflite', file);
export const fixtureBytes = (file: string): Uint8Array => new Uint8Array(readFileSync(fixturePath(file)));

export interface ArmnnTensorQuant {
  readonly name: string;
  readonly shape: number[];
  readonly scale: number;
  readonly zeroPoint: number;
}

/**
 * The model's input and output tensors as ArmNN's own TFLite parser reads them (name, shape,
 * quantization scale and offset): an implementation of the format independent of ours.
 */
export function armnnTensors(modelPath: string): { inputs: ArmnnTensorQuant[]; outputs: ArmnnTensorQuant[] } {
  const script = `
import json, logging, sys
logging.disable(logging.WARNING)
import pyarmnn as ann
p = ann.ITfLiteParser()
p.CreateNetworkFromBinaryFile(sys.argv[1])
def info(name, b):
    t = b[1]
    s = t.GetShape()
    return {"name": name, "shape": [int(s[k]) for k in range(s.GetNumDimensions())], "scale": t.GetQuantizationScale(), "zeroPoint": t.GetQuantizationOffset()}
print(json.dumps({
  "inputs": [info(n, p.GetNetworkInputBindingInfo(0, n)) for n in p.GetSubgraphInputTensorNames(0)],
  "outputs": [info(n, p.GetNetworkOutputBindingInfo(0, n)) for n in p.GetSubgraphOutputTensorNames(0)],
}))
`;
  return JSON.parse(execFileSync(ARMNN_PYTHON, ['-c', script, modelPath], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] })) as {
    inputs: ArmnnTensorQuant[];
    outputs: ArmnnTensorQuant[];
  };
}

export { randomInputs, seededRandom as seeded } from '../../core/util/seeded-random.js';
