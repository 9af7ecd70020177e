/** Parameters of the time-series input block. */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ImpulseError } from '../../../core/errors/impulse-error.js';
import { Duration, parseDuration } from './duration.js';

export const TimeSeriesParams = Type.Object(
  {
    frequency: Type.Number({
      minimum: 0,
      default: 0,
      description:
        'Sampling frequency in Hz the impulse works at. 0: take it from the files (WAV header, CSV timestamps, interval_ms); all files must then agree. A CSV without timestamps needs it set.',
    }),
    window: Type.Object(
      {
        size: Duration({ default: '1000ms', description: 'Length of one window.' }),
        stride: Duration({ default: '1000ms', description: 'Distance between the starts of consecutive windows; less than size makes windows overlap.' }),
        pad: Type.Union([Type.Literal('zero'), Type.Literal('none')], {
          default: 'zero',
          description: "A sample shorter than one window: 'zero' pads it with zeros to one window, 'none' skips it (reported).",
        }),
      },
      {
        additionalProperties: false,
        default: { size: '1000ms', stride: '1000ms', pad: 'zero' },
        description: 'How each sample is cut into windows: windows start at 0 and advance by stride while they fit.',
      },
    ),
    axes: Type.Array(Type.String({ minLength: 1 }), {
      default: [],
      description:
        'Axis names to keep, in this order (e.g. [accX, accY]). Empty: all axes of the files. For CSV files without a header, these name the columns.',
    }),
    resample: Type.Boolean({
      default: false,
      description: 'false: a file at another frequency is an error naming it. true: such files are resampled (linear interpolation).',
    }),
    hmacKey: Type.String({
      default: '',
      description: "HMAC key for Edge Impulse JSON/CBOR files: when set, those files must carry a valid HS256 signature. Empty: signatures are not checked.",
    }),
  },
  { additionalProperties: false },
);

export type TimeSeriesParams = Static<typeof TimeSeriesParams>;

export interface ResolvedTimeSeriesParams {
  /** Hz, or undefined to take it from the files. */
  readonly frequency: number | undefined;
  readonly sizeMs: number;
  readonly strideMs: number;
  readonly pad: 'zero' | 'none';
  readonly axes: readonly string[];
  readonly resample: boolean;
  readonly hmacKey: string | undefined;
}

/** Fills defaults (so the block also works with partial params) and parses durations. */
export function resolveTimeSeriesParams(params: Partial<TimeSeriesParams> | undefined): ResolvedTimeSeriesParams {
  const p = Value.Default(TimeSeriesParams, structuredClone(params ?? {})) as TimeSeriesParams;
  if (!(Number.isFinite(p.frequency) && p.frequency >= 0)) {
    throw new ImpulseError({ code: 'E_SPEC_FREQUENCY', message: `input.frequency: ${p.frequency} is not a valid frequency`, hint: 'give the sampling frequency in Hz, or 0 to take it from the files' });
  }
  return {
    frequency: p.frequency > 0 ? p.frequency : undefined,
    sizeMs: parseDuration(p.window.size, 'input.window.size'),
    strideMs: parseDuration(p.window.stride, 'input.window.stride'),
    pad: p.window.pad,
    axes: p.axes,
    resample: p.resample,
    hmacKey: p.hmacKey !== '' ? p.hmacKey : undefined,
  };
}

/** Frames in one window of `ms` milliseconds at `frequency` Hz. */
export function framesOf(ms: number, frequency: number): number {
  return Math.round((ms * frequency) / 1000);
}
