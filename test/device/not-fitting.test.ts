/**
 * A build that does not fit the device is reported as not fitting, with the numbers, before any
 * compile is attempted (issue 12): a 1 MB weight tensor against 1 MB of flash, and activations
 * larger than 256 KB of RAM — by the estimate, by a refused measurement (nothing is built), and
 * by `impulse profile`.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { estimateProfile } from '../../core/device/estimate/estimate.js';
import { measureProfile } from '../../core/device/profile/measure.js';
import { subjectOfModel } from '../../core/device/profile/subject.js';
import { builtinProfile } from '../../core/device/profiles.js';
import { ImpulseError } from '../../core/errors/impulse-error.js';
import { ModelBuilder } from '../../core/model/builder.js';
import type { ModelIR } from '../../core/model/ir.js';
import { writeTflite } from '../../generators/tflite/write.js';
import { expectOk, expectUserError, impulse } from '../support/cli.js';

const q = (scale: number, zp = 0) => ({ scale: [scale], zeroPoint: [zp], axis: 0 });

/** int8 fully connected 1024 → 1024: one weight tensor of exactly 1 MB. */
function megabyteWeights(): ModelIR {
  const b = new ModelBuilder();
  const x = b.tensor('x', [1, 1024], 'int8', { quant: q(0.05) });
  const w = b.tensor('w', [1024, 1024], 'int8', { quant: { scale: new Array(1024).fill(0.01), zeroPoint: new Array(1024).fill(0), axis: 0 }, data: new Int8Array(1024 * 1024).map((_, i) => (i % 7) - 3) });
  const y = b.tensor('y', [1, 1024], 'int8', { quant: q(0.1) });
  b.op({ op: 'fullyConnected', inputs: [x, w, -1], outputs: [y], activation: 'none' });
  return b.build([x], [y]);
}

/** A 1×1 conv from 128×128×8 to 128×128×16 (128 KB in, 256 KB out), then a global average pool to 16 scores. */
function largeActivations(): ModelIR {
  const b = new ModelBuilder();
  const x = b.tensor('x', [1, 128, 128, 8], 'int8', { quant: q(0.05) });
  const w = b.tensor('w', [16, 1, 1, 8], 'int8', { quant: { scale: new Array(16).fill(0.01), zeroPoint: new Array(16).fill(0), axis: 0 }, data: new Int8Array(128).fill(1) });
  const h = b.tensor('h', [1, 128, 128, 16], 'int8', { quant: q(0.1) });
  const y = b.tensor('y', [1, 16], 'int8', { quant: q(0.1) });
  b.op({ op: 'conv2d', inputs: [x, w, -1], outputs: [h], stride: [1, 1], dilation: [1, 1], padding: 'valid', activation: 'none' });
  b.op({ op: 'globalAvgPool', inputs: [h], outputs: [y] });
  return b.build([x], [y]);
}

const device = builtinProfile('cortex-m4f-80mhz')!;
const scratch = mkdtempSync(path.join(os.tmpdir(), 'impulse-not-fitting-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function refusal(model: ModelIR, name: string): Promise<{ error: ImpulseError; built: string[] }> {
  const workDir = path.join(scratch, name);
  let error: unknown;
  try {
    await measureProfile(subjectOfModel(model, name), device, { source: 'none', quantized: [new Int8Array(1)] }, { workDir });
  } catch (e) {
    error = e;
  }
  let built: string[] = [];
  try {
    built = readdirSync(workDir);
  } catch {
    built = [];
  }
  expect(error).toBeInstanceOf(ImpulseError);
  return { error: error as ImpulseError, built };
}

describe('an impulse that does not fit the device', () => {
  test('1 MB of weights: the estimate says flash does not fit, with the numbers', () => {
    const r = estimateProfile(subjectOfModel(megabyteWeights(), 'big-weights'), device);
    expect(r.fit.fitsFlash).toBe(false);
    expect(r.flash.estimated!.weights).toBeGreaterThanOrEqual(1024 * 1024);
    expect(r.fit.flashBytes).toBeGreaterThan(device.flashBytes);
    expect(r.fit.fitsRam).toBe(true);
  });

  test('1 MB of weights: a measurement is refused before anything is compiled', async () => {
    const { error, built } = await refusal(megabyteWeights(), 'big-weights');
    expect(error.code).toBe('E_DEVICE_DOES_NOT_FIT');
    expect(error.message).toMatch(/flash: needs 1\.\d+ MB \(weights 1\.\d+ MB, .*\), the device has 1\.00 MB/);
    expect(error.message).toContain('Nothing was compiled');
    expect(built).toEqual([]);
  });

  test('a 256 KB activation: RAM does not fit 256 KB', async () => {
    const r = estimateProfile(subjectOfModel(largeActivations(), 'big-activations'), device);
    expect(r.fit.fitsRam).toBe(false);
    expect(r.fit.fitsFlash).toBe(true);
    expect(r.ram.estimated!.arena).toBeGreaterThan(256 * 1024); // the planner's arena for the 256 KB output and what it cannot overlap
    const { error, built } = await refusal(largeActivations(), 'big-activations');
    expect(error.code).toBe('E_DEVICE_DOES_NOT_FIT');
    expect(error.message).toMatch(/RAM: needs \d+\.\d KB \(arena 256\.\d KB, stack \d+ B, input window 128\.0 KB\), the device has 256\.0 KB/);
    expect(error.message).not.toContain('flash:');
    expect(built).toEqual([]);
  });

  test('`impulse profile model.tflite` warns with the numbers; with --measure it refuses (exit 1, no stack trace)', async () => {
    const file = path.join(scratch, 'big.tflite');
    writeFileSync(file, writeTflite(megabyteWeights()));
    const estimated = await impulse(scratch, 'profile', file);
    expectOk(estimated);
    expect(estimated.stdout).toMatch(/warning: does not fit cortex-m4f-80mhz \(over flash by [\d.]+ KB\)/);
    const measured = await impulse(scratch, 'profile', file, '--measure');
    expectUserError(measured);
    expect(measured.stderr).toContain('E_DEVICE_DOES_NOT_FIT');
    expect(measured.stderr).toContain('Nothing was compiled');
    const json = await impulse(scratch, 'profile', file, '--json', '--device', 'cortex-m7-480mhz');
    expectOk(json);
    const report = JSON.parse(json.stdout) as { fit: { fitsFlash: boolean }; device: { name: string } };
    expect(report.device.name).toBe('cortex-m7-480mhz');
    expect(report.fit.fitsFlash).toBe(true); // 2 MB of flash
  }, 120_000);
});
