/**
 * The planner on the real models of ../shared/fixtures/tflite (read by our TFLite reader): valid
 * plans, never above greedy by size, and the arenas measured when this was written, each explained.
 * TensorFlow Lite Micro's arenas for two of them (../shared/notes/tflm-baseline.md, which include
 * TFLM's own bookkeeping) are the reference: 6,836 B for micro_speech, 772 B for hello_world.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { fixturesDir } from '../../../test/support/shared.js';
import { readTflite } from '../tflite/read.js';
import { planMemory } from './plan.js';
import { planProblems } from './test-helpers.js';

const MODELS = [
  // 1 → 16 → 16 → 1 int8: the two 16 B hidden layers are live together at the middle op.
  { file: 'hello_world_int8.tflite', arena: 32, tflm: 772 },
  // Input 1960 B (49×40 int8), reshaped in place, and the depthwise conv's 25×20×8 = 4000 B output
  // are live together during the conv: 5960 B, the lower bound. TFLM: 6836 B.
  { file: 'micro_speech_quantized.tflite', arena: 5960, tflm: 6836 },
  // DS-CNN: after the first conv (490 B in, 8000 B out), every depthwise and pointwise conv reads one
  // 25×5×64 = 8000 B activation and writes another: 16000 B.
  { file: 'kws_ref_model.tflite', arena: 16000 },
  { file: 'kws_ref_model_float32.tflite', arena: 64000 },
  // MobileNetV1 0.25: the peak is the first pointwise conv, 48×48×8 in (18432 B) and 48×48×16 out
  // (36864 B) = 55296 B, the lower bound. Greedy by size leaves a gap and needs 64512 B.
  { file: 'vww_96_int8.tflite', arena: 55296, greedy: 64512 },
  // ResNet-8: in the first block the block input (32×32×16 = 16384 B, kept for the add), the first
  // conv's output and the second conv's output are live together: 3 × 16384 B.
  { file: 'pretrainedResnet_quant.tflite', arena: 49152 },
  // Fully connected autoencoder, 640 → 128 … 8 … 128 → 640 int8: the first and last layers hold 640 + 128 B.
  { file: 'ad01_int8.tflite', arena: 768 },
] as const;

describe('planMemory on the fixture models', () => {
  for (const m of MODELS) {
    test(m.file, () => {
      const model = readTflite(new Uint8Array(readFileSync(path.join(fixturesDir, 'tflite', m.file))), m.file);
      const plan = planMemory(model);
      expect(planProblems(model, plan)).toEqual([]);
      expect(plan.arenaBytes).toBe(m.arena);
      expect(plan.arenaBytes).toBeGreaterThanOrEqual(plan.lowerBoundBytes);
      expect(plan.arenaBytes).toBeLessThanOrEqual(plan.greedyBytes);
      expect(plan.provenOptimal).toBe(true);
      if ('greedy' in m) expect(plan.greedyBytes).toBe(m.greedy);
      if ('tflm' in m) expect(plan.arenaBytes).toBeLessThan(m.tflm);
    });
  }
});
