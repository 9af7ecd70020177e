/**
 * Issue 12, must-show 1: the three example impulses measured on an emulated Cortex-M4F.
 * Each example, trained briefly once per test run (fewer epochs: latency and memory depend on the
 * shapes, not on the weights), is copied into a project of its own with `device: { name:
 * cortex-m4f-80mhz, measure: true }` added, so the profile stage measures it during `impulse run`
 * (nothing upstream reruns), on every test window: activity 1,095, spoken-digits 481, handwritten
 * 1,598 (its conv net runs 5.3 M instructions a window). Checked:
 * - the int8 network's outputs on the emulated core equal the TS int8 interpreter's on every window
 *   measured (fed the TS features), and the whole impulse's scores equal the same C on the host;
 * - the estimate is within ±20% of the measured cycles for each DSP block and each network;
 * - the table after `impulse run` labels estimated and measured figures;
 * - changing the device reruns the profile and nothing upstream, and `impulse profile` caches.
 * Needs arm-none-eabi-gcc, qemu-system-arm and gcc (skipped loudly without them, a failure in CI).
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ProfileReport } from '../../core/device/profile/report.js';
import { harnessToolsPresent } from '../../core/device/qemu/testing/fixtures.js';
import { skipWithoutTool } from '../oracles/require-tool.js';
import { expectOk, impulse, stageDir } from '../support/cli.js';
import { requireShared } from '../support/shared.js';
import { testImpulseYaml } from '../support/trained-example.js';
import { EXAMPLE_TRAINING, trainExample, type TrainedExample } from './trained-examples.js';

/** More than any test split has: every test window is measured. */
const EVERY_WINDOW = 100_000;
const TOOLS = 'arm-none-eabi-gcc, binutils-arm-none-eabi, qemu-system-arm and gcc';
const TOLERANCE = 0.2;

function device(name: string): string {
  return `device: { name: cortex-m4f-80mhz, measure: true, windows: ${EVERY_WINDOW} }\n`;
}

describe.sequential.each(EXAMPLE_TRAINING)('examples/$name on an emulated Cortex-M4F', ({ name, epochs }) => {
  let trained: TrainedExample | undefined;
  let report: ProfileReport;
  beforeAll(async () => {
    if (!harnessToolsPresent()) return;
    requireShared();
    trained = await trainExample(name, epochs, device(name));
    report = JSON.parse(readFileSync(path.join(stageDir(trained.dir, 'profile'), 'profile.json'), 'utf8')) as ProfileReport;
  }, 900_000);
  afterAll(() => {
    if (trained) rmSync(trained.dir, { recursive: true, force: true });
  });

  test('int8 outputs on the emulated core equal the TS interpreter on every window measured', ({ skip }) => {
    skipWithoutTool(skip, TOOLS, harnessToolsPresent);
    const m = report.measurement!;
    expect(m).toBeDefined();
    console.log(`${name}: measured on ${m.source}: ${m.outputCheck}`);
    const n = m.windows;
    expect(m.outputCheck).toContain(`int8 network outputs on the TS features vs the TS int8 interpreter: identical on ${n} of ${n}`);
    expect(m.outputCheck).toContain(`scores vs the same C built for the host (bit for bit): identical on ${n} of ${n}`);
    expect(m.source).toMatch(/^all \d+ test windows$/);
    expect(m.source).toBe(`all ${n} test windows`);
  });

  test('the estimate is within ±20% of the measured cycles for each DSP block and the network', ({ skip }) => {
    skipWithoutTool(skip, TOOLS, harnessToolsPresent);
    const kinds = new Set<string>();
    for (const b of report.blocks) {
      expect(b.measured, `${b.id} measured`).toBeDefined();
      expect(b.estimated, `${b.id} estimated`).toBeDefined();
      const error = (b.estimated!.cycles - b.measured!.cycles) / b.measured!.cycles;
      console.log(`${name} ${b.id} (${b.kind === 'dsp' ? b.type : b.kind}): estimated ${Math.round(b.estimated!.cycles)} cycles, measured ${Math.round(b.measured!.cycles)} (${b.measured!.instructions.toFixed(0)} instructions), error ${(error * 100).toFixed(1)}%`);
      expect(Math.abs(error), `${b.id}: estimate ${b.estimated!.cycles} vs measured ${b.measured!.cycles}`).toBeLessThanOrEqual(TOLERANCE);
      kinds.add(b.kind);
    }
    expect([...kinds].sort()).toEqual(['dsp', 'network']);
  });

  test('RAM and flash are measured from the linked ELF and fit the device', ({ skip }) => {
    skipWithoutTool(skip, TOOLS, harnessToolsPresent);
    const ram = report.ram.measured!;
    const flash = report.flash.measured!;
    expect(ram.arena).toBeGreaterThan(0);
    expect(ram.staticData).toBeGreaterThanOrEqual(ram.arena);
    expect(ram.stack).toBeGreaterThan(0);
    expect(flash.code).toBeGreaterThan(1000);
    expect(flash.weights).toBeGreaterThan(0);
    expect(flash.total).toBe(flash.code + flash.constants + flash.weights + flash.libc);
    expect(report.fit).toMatchObject({ basis: 'measured', fitsRam: true, fitsFlash: true });
  });

  test.runIf(name === 'activity')('changing the device reruns the profile alone; `impulse profile` answers from its cache', async ({ skip }) => {
    skipWithoutTool(skip, TOOLS, harnessToolsPresent);
    const dir = trained!.dir;
    writeFileSync(path.join(dir, 'impulse.yaml'), testImpulseYaml(name) + 'device: cortex-m4f-120mhz\n');
    const status = await impulse(dir, 'status', '--json');
    expectOk(status);
    const stale = (JSON.parse(status.stdout) as { stages: { stage: string; state: string }[] }).stages.filter((s) => s.state === 'stale').map((s) => s.stage);
    expect(stale).toContain('profile');
    expect(stale.filter((s) => s !== 'profile' && s !== 'report')).toEqual([]);
    const run = await impulse(dir, 'run');
    expectOk(run);
    expect(run.stdout).toMatch(/activity on cortex-m4f-120mhz/);
    expect(run.stdout).toContain('est. cycles');
    expect(run.stdout).toMatch(/estimated from the cost tables/);

    const first = await impulse(dir, 'profile', '--device', 'cortex-m7-216mhz', '--json');
    expectOk(first);
    const entries = readdirSync(path.join(dir, '.impulse/cache')).length;
    const again = await impulse(dir, 'profile', '--device', 'cortex-m7-216mhz', '--json');
    expectOk(again);
    expect(readdirSync(path.join(dir, '.impulse/cache')).length).toBe(entries);
    const r = JSON.parse(again.stdout) as ProfileReport;
    expect(r.device.name).toBe('cortex-m7-216mhz');
    expect(r.measurement).toBeUndefined();
    expect(r.notes.some((n) => n.includes('per-core factor'))).toBe(true);
  }, 300_000);
});
