/** Durations in impulse files: a number of milliseconds, or a string '250ms', '1.5s', '2 s'. */
import { Type } from '@sinclair/typebox';
import { ImpulseError } from '../../../core/errors/impulse-error.js';

const PATTERN = '^\\s*(\\d+(?:\\.\\d+)?|\\.\\d+)\\s*(ms|s)\\s*$';
const RE = new RegExp(PATTERN);

export type DurationInput = number | string;

/** TypeBox schema of a duration, for block params. */
export function Duration(options: { description: string; default: DurationInput }) {
  return Type.Union([Type.Number({ exclusiveMinimum: 0 }), Type.String({ pattern: PATTERN })], {
    ...options,
    description: `${options.description} A number of milliseconds, or a string such as '500ms' or '2s'.`,
  });
}

/**
 * Milliseconds of a duration. `key` names the setting in errors (e.g. 'input.window.size').
 * Throws ImpulseError E_SPEC_DURATION for anything that is not a positive finite duration.
 */
export function parseDuration(value: unknown, key = 'duration'): number {
  let ms: number | undefined;
  if (typeof value === 'number') {
    ms = value;
  } else if (typeof value === 'string') {
    const m = RE.exec(value);
    if (m) ms = Number(m[1]) * (m[2] === 's' ? 1000 : 1);
  }
  if (ms === undefined || !Number.isFinite(ms) || ms <= 0) {
    const shown = typeof value === 'string' ? `'${value}'` : String(value);
    throw new ImpulseError({
      code: 'E_SPEC_DURATION',
      message: `${key}: ${shown} is not a valid duration`,
      hint: "write a positive number of milliseconds (1000) or a string with a unit: '1000ms', '1s', '0.5s'",
    });
  }
  return ms;
}
