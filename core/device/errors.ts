/** Typed errors of device profiles, estimates and measurements (codes listed in core/errors/catalogue.ts). */
import { ImpulseError, type SourceLocation } from '../errors/impulse-error.js';
import { didYouMean } from '../util/suggest.js';

export function unknownDevice(name: string, known: readonly string[], location?: SourceLocation): ImpulseError {
  return new ImpulseError({
    code: 'E_DEVICE_UNKNOWN',
    message: `unknown device profile '${name}'${didYouMean(name, known)}`,
    hint: `Built-in and defined profiles: ${known.join(', ')}. Define your own under \`devices:\` (core, clockMhz, ramKb, flashKb, flashWaitStates).`,
    ...(location ? { location } : {}),
  });
}

export function incompleteDevice(name: string, missing: readonly string[], location?: SourceLocation): ImpulseError {
  return new ImpulseError({
    code: 'E_DEVICE_UNKNOWN',
    message: `device '${name}' is not a known profile, and as a profile of its own it lacks ${missing.join(', ')}`,
    hint: 'Name a built-in profile (e.g. cortex-m4f-80mhz), or give core, clockMhz, ramKb and flashKb.',
    ...(location ? { location } : {}),
  });
}

/** The numbers of a build that does not fit, before anything is compiled. */
export function doesNotFit(what: string, hint: string): ImpulseError {
  return new ImpulseError({ code: 'E_DEVICE_DOES_NOT_FIT', message: what, hint });
}

export function cannotMeasure(message: string, hint: string): ImpulseError {
  return new ImpulseError({ code: 'E_DEVICE_MEASURE', message, hint });
}

/** The firmware on the emulated core computed other outputs than the reference: a bug, reported with the numbers. */
export function outputsDiffer(message: string): ImpulseError {
  return new ImpulseError({
    code: 'E_DEVICE_OUTPUT_MISMATCH',
    message,
    hint: 'The generated C gave other outputs on the emulated Cortex-M4F than the reference: please report it with the impulse (the measured figures may not be trusted).',
  });
}
