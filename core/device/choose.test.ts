/** Device profiles: built-ins, the impulse's own, inline changes, and the problems validate reports. */
import { describe, expect, test } from 'vitest';
import { ImpulseError } from '../errors/impulse-error.js';
import { deviceProblems, normalizeDevice, resolveProfile } from './choose.js';
import { BUILTIN_PROFILES } from './profiles.js';

const at = (path: (string | number)[]) => ({ file: 'impulse.yaml', line: path.length, col: 1 });

describe('device profiles', () => {
  test('the built-ins the issue asks for, with their clocks and memory', () => {
    const byName = new Map(BUILTIN_PROFILES.map((p) => [p.name, p]));
    for (const mhz of [64, 80, 120]) {
      const p = byName.get(`cortex-m4f-${mhz}mhz`)!;
      expect(p.core).toBe('cortex-m4f');
      expect(p.clockHz).toBe(mhz * 1e6);
      expect(p.ramBytes).toBe(256 * 1024);
      expect(p.flashBytes).toBe(1024 * 1024);
    }
    expect(byName.get('cortex-m7-216mhz')!.clockHz).toBe(216e6);
    expect(byName.get('cortex-m7-480mhz')!.clockHz).toBe(480e6);
    expect(byName.get('cortex-m33-64mhz')!.core).toBe('cortex-m33');
    expect(byName.get('cortex-m0plus-48mhz')!.clockHz).toBe(48e6);
    expect(byName.get('cortex-m0plus-133mhz')!.clockHz).toBe(133e6);
    expect(byName.get('host')!.core).toBe('host');
  });

  test('a name, or { name, measure, windows, fields } normalize to one form', () => {
    expect(normalizeDevice('cortex-m4f-80mhz')).toEqual({ name: 'cortex-m4f-80mhz', measure: false, fields: {} });
    expect(normalizeDevice({ name: 'cortex-m4f-80mhz', measure: true, windows: 20, ramKb: 128 })).toEqual({ name: 'cortex-m4f-80mhz', measure: true, windows: 20, fields: { ramKb: 128 } });
  });

  test('inline fields change a built-in; the impulse defines its own', () => {
    const changed = resolveProfile({ name: 'cortex-m4f-80mhz', fields: { ramKb: 128, flashWaitStates: 2 } });
    expect(changed.ramBytes).toBe(128 * 1024);
    expect(changed.flashWaitStates).toBe(2);
    expect(changed.clockHz).toBe(80e6);
    const own = resolveProfile({ name: 'my-board' }, { 'my-board': { core: 'cortex-m33', clockMhz: 150, ramKb: 640, flashKb: 2048, flashWaitStates: 3 } });
    expect(own).toMatchObject({ name: 'my-board', core: 'cortex-m33', clockHz: 150e6, ramBytes: 640 * 1024, flashBytes: 2048 * 1024, flashWaitStates: 3 });
    const inline = resolveProfile({ name: 'bench-board', fields: { core: 'cortex-m4f', clockMhz: 100, ramKb: 96, flashKb: 512 } });
    expect(inline.ramBytes).toBe(96 * 1024);
  });

  test('an unknown name suggests the closest profile and says where it is', () => {
    let err: ImpulseError | undefined;
    try {
      resolveProfile({ name: 'cortex-m4f-80mz' }, undefined, at(['device']));
    } catch (e) {
      err = e as ImpulseError;
    }
    expect(err?.code).toBe('E_DEVICE_UNKNOWN');
    expect(err?.message).toContain("did you mean 'cortex-m4f-80mhz'");
    expect(err?.location?.file).toBe('impulse.yaml');
    expect(deviceProblems('nrf52', undefined, at).map((p) => p.code)).toEqual(['E_DEVICE_UNKNOWN']);
    expect(deviceProblems({ name: 'half-board', core: 'cortex-m4f', clockMhz: 80 }, undefined, at)[0]!.message).toMatch(/lacks ramKb, flashKb/);
    expect(deviceProblems(42, undefined, at)).toEqual([]); // the schema reports a wrong type
  });
});
