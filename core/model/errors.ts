/** Typed errors of the model IR and its readers. */
import { ImpulseError } from '../errors/impulse-error.js';

/** A .tflite file that is not a valid flatbuffer of the TFLite schema. */
export function badTflite(file: string, problem: string): ImpulseError {
  return new ImpulseError({
    code: 'E_MODEL_TFLITE',
    message: `${problem}`,
    hint: 'Check that the file is a complete .tflite model (as written by the TFLite converter) and not truncated.',
    location: { file },
  });
}

/** An op (or op version, option, tensor type) outside what the IR supports. */
export function unsupportedOp(file: string, what: string, hint: string): ImpulseError {
  return new ImpulseError({ code: 'E_MODEL_UNSUPPORTED_OP', message: what, hint, location: { file } });
}

/** A layer of one of our networks that the IR cannot express. */
export function unsupportedLayer(what: string, hint: string): ImpulseError {
  return new ImpulseError({ code: 'E_MODEL_UNSUPPORTED_LAYER', message: what, hint });
}
