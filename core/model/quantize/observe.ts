/** Calibration's view of the float model: every float activation tensor's values, per sample. */
import { compileModel } from '../interpret/compile.js';
import type { ModelIR } from '../ir.js';
import type { ObserveActivations } from './quantize.js';

export function observeFloat(model: ModelIR): ObserveActivations {
  const compiled = compileModel(model);
  return (input, observe) => {
    compiled.run([input], (t, values) => {
      if (values instanceof Float32Array) observe(t, values);
    });
  };
}
