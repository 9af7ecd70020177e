/**
 * The impulse file's `device:` and `devices:` keys (TypeBox; spliced into core/spec/schema.ts):
 *
 *   device: cortex-m4f-80mhz                                  # a built-in profile or one of `devices`
 *   device: { name: cortex-m4f-80mhz, measure: true }         # … measured under QEMU on every run
 *   device: { name: cortex-m4f-80mhz, measure: true, windows: 200 }  # … on 200 test windows
 *   device: { name: cortex-m4f-80mhz, ramKb: 128 }            # … with fields changed
 *   devices:                                                  # profiles of your own
 *     my-board: { core: cortex-m4f, clockMhz: 100, ramKb: 320, flashKb: 1024, flashWaitStates: 3 }
 */
import { Type, type Static } from '@sinclair/typebox';
import { CORES } from './profiles.js';

const fields = {
  core: Type.Union(
    CORES.map((c) => Type.Literal(c)),
    { description: 'The processor core: picks the cost tables of the estimate (cortex-m0plus, cortex-m4f, cortex-m7, cortex-m33, host).' },
  ),
  clockMhz: Type.Number({ exclusiveMinimum: 0, maximum: 10000, description: 'CPU clock in MHz: milliseconds = cycles / clock.' }),
  ramKb: Type.Number({ exclusiveMinimum: 0, description: 'RAM in KB (1024 bytes) available to the impulse and the application.' }),
  flashKb: Type.Number({ exclusiveMinimum: 0, description: 'Flash in KB (1024 bytes) for code, weights and constants.' }),
  flashWaitStates: Type.Integer({ minimum: 0, maximum: 15, description: 'Wait states of a flash read at this clock (the estimate adds their cost for weights read from flash). Default 0.' }),
  description: Type.String({ description: 'What the device is, for reports.' }),
};

export const DeviceProfileSchema = Type.Object(
  {
    core: fields.core,
    clockMhz: fields.clockMhz,
    ramKb: fields.ramKb,
    flashKb: fields.flashKb,
    flashWaitStates: Type.Optional(fields.flashWaitStates),
    description: Type.Optional(fields.description),
  },
  { additionalProperties: false, description: 'A device profile of your own.' },
);
export type DeviceProfileSpec = Static<typeof DeviceProfileSchema>;

export const DeviceChoiceSchema = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'A built-in profile (cortex-m4f-80mhz, cortex-m7-480mhz, …) or one defined under `devices`.' }),
    measure: Type.Optional(Type.Boolean({ description: 'Also measure on an emulated Cortex-M4F (QEMU) in the profile stage: slower, exact instruction counts. Default false (estimate only).' })),
    windows: Type.Optional(Type.Integer({ minimum: 1, description: 'Test windows a measurement runs, spread evenly over the test split (all of them when there are fewer). Default 50.' })),
    core: Type.Optional(fields.core),
    clockMhz: Type.Optional(fields.clockMhz),
    ramKb: Type.Optional(fields.ramKb),
    flashKb: Type.Optional(fields.flashKb),
    flashWaitStates: Type.Optional(fields.flashWaitStates),
    description: Type.Optional(fields.description),
  },
  { additionalProperties: false, description: 'A device profile by name, measured or not, with any of its fields changed.' },
);

export const DeviceSchema = Type.Union([Type.String({ minLength: 1 }), DeviceChoiceSchema], {
  description:
    'The device the impulse is sized for: latency, RAM and flash per block are estimated for it after every run (and measured on an emulated Cortex-M4F with measure: true). A built-in profile (cortex-m4f-64mhz, cortex-m4f-80mhz, cortex-m4f-120mhz, cortex-m7-216mhz, cortex-m7-480mhz, cortex-m33-64mhz, cortex-m0plus-48mhz, cortex-m0plus-133mhz, host) or one of `devices`.',
});
export type DeviceSpec = Static<typeof DeviceSchema>;

export const DevicesSchema = Type.Record(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' }), DeviceProfileSchema, {
  description: 'Device profiles of your own, by name (clock, RAM, flash, core, flash wait states); `device:` picks one.',
});
export type DevicesSpec = Static<typeof DevicesSchema>;
