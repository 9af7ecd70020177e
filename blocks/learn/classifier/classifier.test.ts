/**
 * The classifier on real data (3 classes of the shared sklearn 8×8 digits): accuracy on testing
 * rows, determinism, testing rows never trained on, saved files. Kept to a few seconds of training.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TensorSet } from '../../../core/artifact/types.js';
import { ImpulseError } from '../../../core/errors/impulse-error.js';
import { classificationMetrics } from '../../../core/report/metrics.js';
import { datasetsDir, requireShared } from '../../../test/support/shared.js';
import { digitsRows, tensorSet, testContext } from '../common/testing.js';
import classifier from './index.js';
import type { ClassifierParams } from './params.js';

const csv = path.join(datasetsDir, 'sklearn_digits8x8', 'digits.csv');
const P = (p: Partial<ClassifierParams>) => p as ClassifierParams;

function testMetrics(data: TensorSet, scores: Float32Array) {
  const test = data.rows.flatMap((r, i) => (r.split === 'testing' ? [i] : []));
  const k = data.labels.length;
  const s = Float32Array.from(test.flatMap((i) => Array.from(scores.subarray(i * k, (i + 1) * k))));
  return classificationMetrics(data.labels, test.map((i) => data.labels.indexOf(data.rows[i]!.label)), s);
}

const weightsOf = (dir: string) => readFileSync(path.join(dir, 'weights.bin'));

describe('classifier on sklearn digits (0, 1, 2)', () => {
  let data: TensorSet;
  beforeAll(() => {
    requireShared();
    data = tensorSet([64], digitsRows(csv, ['0', '1', '2']));
  });

  it('reaches high accuracy on the testing rows and saves model, history and labels', async () => {
    const ctx = testContext(7);
    await classifier.train(ctx, data, P({ epochs: 12, earlyStopping: { patience: 4, minDelta: 0.001 } }));
    for (const f of ['model.json', 'weights.bin', 'history.json', 'labels.json', 'training.json']) expect(existsSync(path.join(ctx.outDir, f)), f).toBe(true);
    expect(JSON.parse(readFileSync(path.join(ctx.outDir, 'labels.json'), 'utf8'))).toEqual(['0', '1', '2']);
    const history = JSON.parse(readFileSync(path.join(ctx.outDir, 'history.json'), 'utf8'));
    expect(history.monitor).toBe('val_loss');
    expect(history.epochs[0]).toMatchObject({ epoch: 1, loss: expect.any(Number), acc: expect.any(Number), valLoss: expect.any(Number), valAcc: expect.any(Number) });
    const model = JSON.parse(readFileSync(path.join(ctx.outDir, 'model.json'), 'utf8'));
    expect(model.format).toBe('layers-model');
    expect(model.weightsManifest[0].paths).toEqual(['./weights.bin']);
    expect(ctx.progressCalls.at(-1)).toEqual([history.epochs.length, 12, 'epochs']);
    expect(ctx.logs.some((l) => /^epoch 1\/12 loss [\d.]+ acc [\d.]+ val_loss [\d.]+ val_acc [\d.]+ .*ETA \d+s$/.test(l))).toBe(true);

    const scores = await classifier.predict(ctx, ctx.outDir, data, P({}));
    expect(scores.length).toBe(data.rows.length * 3);
    for (let i = 0; i < 5; i++) expect(scores[i * 3]! + scores[i * 3 + 1]! + scores[i * 3 + 2]!).toBeCloseTo(1, 5);
    const m = testMetrics(data, scores);
    expect(m.perClass.reduce((a, c) => a + c.support, 0)).toBe(data.rows.filter((r) => r.split === 'testing').length);
    expect(m.accuracy).toBeGreaterThan(0.95);
  });

  it('is deterministic for a seed, and never trains on testing rows', async () => {
    const params = P({ epochs: 3, layers: [{ dense: { units: 16 } }, { dropout: 0.2 }], batchSize: 16 });
    const a = testContext(11);
    const b = testContext(11);
    const c = testContext(12);
    await classifier.train(a, data, params);
    await classifier.train(b, data, params);
    await classifier.train(c, data, params);
    expect(weightsOf(b.outDir).equals(weightsOf(a.outDir))).toBe(true);
    expect(readFileSync(path.join(b.outDir, 'model.json'), 'utf8')).toBe(readFileSync(path.join(a.outDir, 'model.json'), 'utf8'));
    expect(readFileSync(path.join(b.outDir, 'history.json'), 'utf8')).toBe(readFileSync(path.join(a.outDir, 'history.json'), 'utf8'));
    expect(weightsOf(c.outDir).equals(weightsOf(a.outDir))).toBe(false);

    // Poison every testing row (garbage values, labels swapped): the trained weights must not change.
    const poisoned: TensorSet = {
      ...data,
      data: Float32Array.from(data.data, (v, i) => (data.rows[Math.floor(i / 64)]!.split === 'testing' ? 1000 * Math.sin(i) : v)),
      rows: data.rows.map((r) => (r.split === 'testing' ? { ...r, label: r.label === '0' ? '1' : '0' } : r)),
    };
    const d = testContext(11);
    await classifier.train(d, poisoned, params);
    expect(weightsOf(d.outDir).equals(weightsOf(a.outDir))).toBe(true);
  });

  it('early stopping stops on the validation loss and restores the best epoch', async () => {
    const layers = [{ dense: { units: 8 } }];
    const one = testContext(21);
    await classifier.train(one, data, P({ layers, epochs: 1 }));
    // minDelta so large that no epoch after the first counts as an improvement
    const es = testContext(21);
    await classifier.train(es, data, P({ layers, epochs: 6, earlyStopping: { patience: 1, minDelta: 1000 } }));
    const history = JSON.parse(readFileSync(path.join(es.outDir, 'history.json'), 'utf8'));
    expect(history).toMatchObject({ monitor: 'val_loss', bestEpoch: 1, stoppedEarly: true });
    expect(history.epochs).toHaveLength(2);
    expect(weightsOf(es.outDir).equals(weightsOf(one.outDir))).toBe(true);
  });

  it('trains conv2d on [8, 8] images (reshape, preset) with class weights and augmentation, on 2 replicas', async () => {
    const images = tensorSet([8, 8], digitsRows(csv, ['0', '1']));
    // Make it imbalanced: drop most training rows of '1'.
    let kept = 0;
    const keep = images.rows.map((r) => r.split === 'testing' || r.label === '0' || kept++ < 30);
    const subset: TensorSet = {
      ...images,
      rows: images.rows.filter((_, i) => keep[i]),
      data: Float32Array.from(images.rows.flatMap((_, i) => (keep[i] ? Array.from(images.data.subarray(i * 64, (i + 1) * 64)) : []))),
    };
    const ctx = testContext(5);
    await classifier.train(
      ctx,
      subset,
      P({
        layers: 'preset/conv2d-image',
        epochs: 6,
        classWeights: 'auto',
        augmentation: { noise: 0.02, specAugment: false, image: { flip: false, shift: 1, brightness: 0.1 } },
        replicas: 2,
      }),
    );
    expect(ctx.logs.join('\n')).toContain('reshaped to [8, 8, 1]');
    expect(ctx.logs.join('\n')).toContain('each batch of 32 split over 2 replicas (threads)');
    expect(ctx.reported).toMatchObject({ threads: 2 });
    const training = JSON.parse(readFileSync(path.join(ctx.outDir, 'training.json'), 'utf8'));
    expect(training.preset).toBe('preset/conv2d-image');
    const n0 = training.trainingRowsPerLabel['0'];
    const n1 = training.trainingRowsPerLabel['1'];
    expect(n1).toBe(30);
    expect(training.classWeights[0]).toBeCloseTo((n0 + n1) / (2 * n0), 5);
    expect(training.classWeights[1]).toBeCloseTo((n0 + n1) / (2 * n1), 5);
    const m = testMetrics(subset, await classifier.predict(ctx, ctx.outDir, subset, P({})));
    expect(m.accuracy).toBeGreaterThan(0.9);
  });

  it('a bad layer list is a user error before any training', async () => {
    const ctx = testContext();
    const err = await classifier.train(ctx, data, P({ layers: [{ dense: { units: 8 } }, { maxpool1d: 2 } as never] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImpulseError);
    expect((err as ImpulseError).code).toBe('E_LEARN_UNKNOWN_LAYER');
    expect((err as ImpulseError).hint).toContain("Did you mean 'maxPool1d'?");
    expect(existsSync(path.join(ctx.outDir, 'model.json'))).toBe(false);
  });
});
