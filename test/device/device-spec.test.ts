/** `device:` and `devices:` in an impulse file: validated with file:line:col, normalized, and a `profile` stage only with a device. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { builtinRegistry } from '../../cli/builtins.js';
import { ImpulseErrors } from '../../core/errors/impulse-error.js';
import { buildStageGraph } from '../../core/graph/build.js';
import { loadImpulse } from '../../core/spec/load.js';
import { makeProject } from '../support/project.js';
import { repoRoot } from '../support/shared.js';

const base = readFileSync(path.join(repoRoot, 'examples/activity/impulse.yaml'), 'utf8');

async function load(extra: string) {
  const dir = makeProject({ 'impulse.yaml': base + extra });
  return loadImpulse(dir, builtinRegistry());
}

async function problems(extra: string): Promise<ImpulseErrors> {
  try {
    await load(extra);
  } catch (e) {
    if (e instanceof ImpulseErrors) return e;
    throw e;
  }
  throw new Error('expected the impulse to be refused');
}

describe('device: in the impulse file', () => {
  test('a name, or an object with measure, windows and fields, normalizes; devices: defines profiles', async () => {
    const plain = await load('device: cortex-m7-216mhz\n');
    expect(plain.spec.device).toEqual({ name: 'cortex-m7-216mhz', measure: false, fields: {} });
    const own = await load('devices:\n  my-board: { core: cortex-m33, clockMhz: 150, ramKb: 640, flashKb: 2048 }\ndevice: { name: my-board, measure: true, windows: 20 }\n');
    expect(own.spec.device).toEqual({ name: 'my-board', measure: true, windows: 20, fields: {} });
    expect(own.spec.devices?.['my-board']?.clockMhz).toBe(150);
  });

  test('an unknown profile is reported at its line with a suggestion', async () => {
    const e = await problems('device: { name: cortex-m4f-80mz }\n');
    const p = e.problems.find((x) => x.code === 'E_DEVICE_UNKNOWN')!;
    expect(p.message).toContain("did you mean 'cortex-m4f-80mhz'");
    expect(p.location?.line).toBe(base.split('\n').length);
  });

  test('a misspelt key of device: is an unknown key with the closest one', async () => {
    const e = await problems('device: { name: cortex-m4f-80mhz, mesure: true }\n');
    expect(e.problems.map((p) => p.code)).toContain('E_SPEC_UNKNOWN_KEY');
    expect(e.problems.find((p) => p.code === 'E_SPEC_UNKNOWN_KEY')!.message).toContain("did you mean 'measure'");
  });

  test('the profile stage exists only with a device, after the evaluation and not upstream of deploy', async () => {
    const without = await load('');
    expect(buildStageGraph(without.spec, without.registry, without.source).hasNode('profile')).toBe(false);
    const withDevice = await load('device: cortex-m4f-80mhz\n');
    const g = buildStageGraph(withDevice.spec, withDevice.registry, withDevice.source);
    expect(g.getNodeAttributes('profile').deps).toEqual(expect.arrayContaining(['input', 'dsp:spectral', 'learn:classifier', 'quantize:classifier', 'evaluate:classifier']));
    for (const node of g.nodes().filter((n) => n.startsWith('deploy:'))) expect(g.getNodeAttributes(node).deps).not.toContain('profile');
  });
});
