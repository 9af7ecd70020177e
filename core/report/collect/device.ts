/**
 * The device section's data: the profile stage's profile.json (written by core/device), copied
 * field by field with each value's type checked, so the page shows what is there and leaves out
 * what a profile of another version lacks — the report never fails on a device figure it does
 * not know.
 */
import type { DeviceReport } from '../report-data.js';
import { readOptionalJson, type StageEntry } from './entries.js';

/** The profile stage's output file. */
export const PROFILE_JSON = 'profile.json';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNumber = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const isString = (v: unknown): boolean => typeof v === 'string';
const isBoolean = (v: unknown): boolean => typeof v === 'boolean';

/** The keys of `o` whose values pass `keep` (all of them when `keys` is omitted). */
function fields(o: unknown, keep: (v: unknown) => boolean, keys?: readonly string[]): Json {
  if (!isObject(o)) return {};
  return Object.fromEntries((keys ?? Object.keys(o)).filter((k) => keep(o[k])).map((k) => [k, o[k]]));
}

const nonEmpty = (o: Json): Json | undefined => (Object.keys(o).length > 0 ? o : undefined);

/** { estimated?, measured? } of byte figures. */
function memoryPair(o: unknown): Json | undefined {
  if (!isObject(o)) return undefined;
  return nonEmpty({ ...(nonEmpty(fields(o['estimated'], isNumber)) ? { estimated: fields(o['estimated'], isNumber) } : {}), ...(nonEmpty(fields(o['measured'], isNumber)) ? { measured: fields(o['measured'], isNumber) } : {}) });
}

/** A latency figure: kept only when it has its milliseconds. */
function latency(o: unknown, keys: readonly string[]): Json | undefined {
  if (!isObject(o) || !isNumber(o['ms'])) return undefined;
  return fields(o, (v) => isNumber(v) || isBoolean(v), keys);
}

function withOptional(base: Json, extra: Record<string, Json | undefined>): Json {
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) base[k] = v;
  return base;
}

export function deviceReport(entry: StageEntry | undefined): DeviceReport | undefined {
  const p = readOptionalJson<Json>(entry, PROFILE_JSON);
  if (!p || !isObject(p['device']) || !isString(p['device']['name'])) return undefined;
  const blocks = (Array.isArray(p['blocks']) ? p['blocks'] : []).filter(isObject).map((b) =>
    withOptional({ id: isString(b['id']) ? b['id'] : '?', ...fields(b, isString, ['kind', 'type']) }, {
      estimated: latency(b['estimated'], ['ms', 'cycles', 'calibrated']),
      measured: latency(b['measured'], ['ms', 'cycles', 'instructions', 'stackBytes']),
    }),
  );
  const total = isObject(p['total']) ? p['total'] : {};
  const report = withOptional(
    {
      device: { ...fields(p['device'], isString, ['name', 'description']), ...fields(p['device'], isNumber, ['clockHz', 'ramBytes', 'flashBytes']) },
      blocks,
      notes: (Array.isArray(p['notes']) ? p['notes'] : []).filter((n): n is string => typeof n === 'string'),
    },
    {
      total: nonEmpty(withOptional({}, { estimated: latency(total['estimated'], ['ms', 'msWithWaitStates']), measured: latency(total['measured'], ['ms']) })),
      ram: memoryPair(p['ram']),
      flash: memoryPair(p['flash']),
      fit: isObject(p['fit']) ? { ...fields(p['fit'], isString, ['basis']), ...fields(p['fit'], isNumber, ['ramBytes', 'flashBytes']), ...fields(p['fit'], isBoolean, ['fitsRam', 'fitsFlash']) } : undefined,
      measurement: isObject(p['measurement']) ? { ...fields(p['measurement'], isNumber, ['windows']), ...fields(p['measurement'], isString, ['source', 'outputCheck']) } : undefined,
    },
  );
  // Every field above was type-checked as it was copied.
  return report as unknown as DeviceReport;
}
