/** The instant estimate on a real model: how its figures relate to each other and to the device. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { readTflite } from '../../model/tflite/read.js';
import { fixturesDir } from '../../../test/support/shared.js';
import { subjectOfModel } from '../profile/subject.js';
import { builtinProfile } from '../profiles.js';
import { CORE_FACTORS } from './cost-model.js';
import { estimateProfile } from './estimate.js';

const model = readTflite(new Uint8Array(readFileSync(path.join(fixturesDir, 'tflite', 'micro_speech_quantized.tflite'))), 'micro_speech_quantized.tflite');
const subject = subjectOfModel(model, 'micro_speech');
const at = (name: string) => estimateProfile(subject, builtinProfile(name)!);

describe('the estimate', () => {
  test('milliseconds are the cycles at the profile clock; the same cycles at another clock of the same core', () => {
    const r80 = at('cortex-m4f-80mhz');
    const r120 = at('cortex-m4f-120mhz');
    const net = r80.blocks.find((b) => b.kind === 'network')!;
    expect(net.estimated!.ms).toBeCloseTo((net.estimated!.cycles / 80e6) * 1000, 9);
    expect(r120.total.estimated!.cycles).toBe(r80.total.estimated!.cycles);
    expect(r120.total.estimated!.ms).toBeCloseTo((r80.total.estimated!.ms * 80) / 120, 9);
    expect(r80.total.estimated!.cycles).toBeGreaterThanOrEqual(net.estimated!.cycles);
  });

  test('other cores scale the M4F cycles by their factor and say so', () => {
    const m4 = at('cortex-m4f-80mhz').blocks.find((b) => b.kind === 'network')!.estimated!.cycles;
    const m7 = at('cortex-m7-480mhz');
    const f = CORE_FACTORS['cortex-m7'];
    const c7 = m7.blocks.find((b) => b.kind === 'network')!.estimated!.cycles;
    expect(c7).toBeGreaterThanOrEqual(Math.floor(m4 * Math.min(f.int, f.float)));
    expect(c7).toBeLessThanOrEqual(Math.ceil(m4 * Math.max(f.int, f.float)));
    expect(m7.notes.some((n) => n.includes('per-core factor'))).toBe(true);
  });

  test('RAM is the planned arena plus statics and a stack bound; flash counts every weight; wait states cost extra', () => {
    const r = at('cortex-m4f-80mhz');
    const ram = r.ram.estimated!;
    expect(ram.arena).toBe(subject.sdk!.generated.report.arenaBytes);
    expect(ram.total).toBe(ram.staticData + ram.stack);
    const weightBytes = model.tensors.reduce((n, t) => n + (t.data ? t.data.bytes : 0), 0);
    expect(r.flash.estimated!.weights).toBeGreaterThanOrEqual(weightBytes * 0.9);
    expect(r.fit).toMatchObject({ basis: 'estimated', fitsRam: true, fitsFlash: true });
    expect(r.total.estimated!.waitStateCycles).toBeGreaterThan(0); // 4 wait states on this profile
    expect(at('cortex-m4f-64mhz').total.estimated!.waitStateCycles).toBe(0);
  });
});
