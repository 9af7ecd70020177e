/**
 * `impulse profile model.tflite`: the estimate instantly, and with --measure the model's C library
 * on the emulated Cortex-M4F, its int8 outputs checked against the TS interpreter, every figure
 * labelled. Needs the Cortex-M toolchain and QEMU for --measure (skipped loudly without, a failure in CI).
 */
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import type { ProfileReport } from '../../core/device/profile/report.js';
import { harnessToolsPresent } from '../../core/device/qemu/testing/fixtures.js';
import { skipWithoutTool } from '../oracles/require-tool.js';
import { expectOk, expectUserError, impulse } from '../support/cli.js';
import { fixturesDir } from '../support/shared.js';

const model = path.join(fixturesDir, 'tflite', 'micro_speech_quantized.tflite');

describe('impulse profile model.tflite', () => {
  test('estimates without compiling, in a table that says so', async () => {
    const r = await impulse(process.cwd(), 'profile', model, '--device', 'cortex-m4f-120mhz');
    expectOk(r);
    expect(r.stdout).toContain('micro_speech_quantized on cortex-m4f-120mhz');
    expect(r.stdout).toContain('est. cycles');
    expect(r.stdout).not.toContain('meas. cycles');
    expect(r.stdout).toMatch(/estimated from the cost tables/);
  });

  test('an unknown device is a user error with the closest name', async () => {
    const r = await impulse(process.cwd(), 'profile', model, '--device', 'cortex-m4-80mhz');
    expectUserError(r);
    expect(r.stderr).toContain("did you mean 'cortex-m4f-80mhz'");
  });

  test('--measure runs it on the emulated core; int8 outputs equal the TS interpreter', async ({ skip }) => {
    skipWithoutTool(skip, 'arm-none-eabi-gcc, qemu-system-arm and gcc', harnessToolsPresent);
    const r = await impulse(process.cwd(), 'profile', model, '--measure', '--windows', '3', '--json');
    expectOk(r);
    const report = JSON.parse(r.stdout) as ProfileReport;
    expect(report.measurement!.outputCheck).toBe('int8 outputs vs the TS int8 interpreter: identical on 3 of 3');
    const net = report.blocks[0]!;
    expect(net.measured!.instructions).toBeGreaterThan(0);
    expect(net.measured!.cycles).toBeGreaterThan(net.measured!.instructions); // CPI > 1 on the M4 table
    expect(report.flash.measured!.weights).toBeGreaterThanOrEqual(16_000); // the model's 18.8 KB file is mostly weights
    expect(report.fit.basis).toBe('measured');
  }, 120_000);
});
