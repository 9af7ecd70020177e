/**
 * Which device profile an impulse (or `--device`) picks: `device:` in its normalized form, the
 * profile it resolves to among the built-ins and the impulse's own `devices:`, and the problems
 * `impulse validate` reports (an unknown name with a suggestion, an incomplete profile).
 */
import type { ImpulseError, SourceLocation } from '../errors/impulse-error.js';
import { incompleteDevice, unknownDevice } from './errors.js';
import { BUILTIN_PROFILES, builtinProfile, type DeviceProfile, type DeviceProfileFields } from './profiles.js';
import type { DeviceProfileSpec, DeviceSpec, DevicesSpec } from './spec-schema.js';

/** `device:` normalized: a name, whether to measure, and any fields changed inline. */
export interface DeviceUse {
  readonly name: string;
  readonly measure: boolean;
  /** Test windows a measurement runs (absent: the default). */
  readonly windows?: number;
  readonly fields: DeviceProfileFields;
}

export function normalizeDevice(device: DeviceSpec | undefined): DeviceUse | undefined {
  if (device === undefined) return undefined;
  if (typeof device === 'string') return { name: device, measure: false, fields: {} };
  const { name, measure, windows, ...fields } = device;
  return { name, measure: measure ?? false, ...(windows !== undefined ? { windows } : {}), fields };
}

export function knownProfileNames(devices: DevicesSpec | undefined): string[] {
  return [...BUILTIN_PROFILES.map((p) => p.name), ...Object.keys(devices ?? {})];
}

function ownProfile(name: string, spec: DeviceProfileSpec): DeviceProfile {
  return {
    name,
    description: spec.description ?? `${spec.core} at ${spec.clockMhz} MHz, ${spec.ramKb} KB RAM, ${spec.flashKb} KB flash (defined in the impulse file)`,
    core: spec.core,
    clockHz: spec.clockMhz * 1_000_000,
    ramBytes: Math.round(spec.ramKb * 1024),
    flashBytes: Math.round(spec.flashKb * 1024),
    flashWaitStates: spec.flashWaitStates ?? 0,
  };
}

function applyFields(base: DeviceProfile, f: DeviceProfileFields): DeviceProfile {
  const changed = Object.keys(f).some((k) => k !== 'description');
  return {
    name: base.name,
    description: f.description ?? (changed ? `${base.description}, adjusted in the impulse file` : base.description),
    core: f.core ?? base.core,
    clockHz: f.clockMhz !== undefined ? f.clockMhz * 1_000_000 : base.clockHz,
    ramBytes: f.ramKb !== undefined ? Math.round(f.ramKb * 1024) : base.ramBytes,
    flashBytes: f.flashKb !== undefined ? Math.round(f.flashKb * 1024) : base.flashBytes,
    flashWaitStates: f.flashWaitStates ?? base.flashWaitStates,
  };
}

const REQUIRED = ['core', 'clockMhz', 'ramKb', 'flashKb'] as const;

/**
 * The profile `use` picks: one of the impulse's `devices` first (they may shadow a built-in),
 * else a built-in, with the inline fields applied; a name that is neither is a profile of its
 * own when the inline fields are complete. Throws E_DEVICE_UNKNOWN otherwise.
 */
export function resolveProfile(use: Pick<DeviceUse, 'name'> & Partial<Pick<DeviceUse, 'fields'>>, devices?: DevicesSpec, location?: SourceLocation): DeviceProfile {
  const fields = use.fields ?? {};
  const own = devices?.[use.name];
  const base = own ? ownProfile(use.name, own) : builtinProfile(use.name);
  if (base) return applyFields(base, fields);
  const missing = REQUIRED.filter((k) => fields[k] === undefined);
  if (missing.length === REQUIRED.length) throw unknownDevice(use.name, knownProfileNames(devices), location);
  if (missing.length > 0) throw incompleteDevice(use.name, missing, location);
  return ownProfile(use.name, { ...(fields as Required<Pick<DeviceProfileFields, (typeof REQUIRED)[number]>>), ...(fields.flashWaitStates !== undefined ? { flashWaitStates: fields.flashWaitStates } : {}), ...(fields.description !== undefined ? { description: fields.description } : {}) });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Problems of `device:` for `impulse validate`: an unknown name (with a suggestion) or an
 * incomplete profile of its own. Shapes the schema rejects are left to the schema's messages.
 */
export function deviceProblems(device: unknown, devices: unknown, locate: (path: (string | number)[]) => SourceLocation): ImpulseError[] {
  const named = typeof device === 'string' || (isObject(device) && typeof device['name'] === 'string');
  if (!named || (devices !== undefined && !isObject(devices))) return [];
  const own = Object.fromEntries(Object.entries((devices ?? {}) as Record<string, unknown>).filter(([, v]) => isObject(v))) as DevicesSpec;
  const use = normalizeDevice(device as DeviceSpec)!;
  try {
    resolveProfile(use, own, locate(typeof device === 'string' ? ['device'] : ['device', 'name']));
    return [];
  } catch (e) {
    return [e as ImpulseError];
  }
}
