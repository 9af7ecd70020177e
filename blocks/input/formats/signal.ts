/** What every time-series decoder produces: frames of interleaved axes. */
export interface DecodedSignal {
  /** Sampling frequency in Hz, when the file says (WAV header, CSV timestamps, EI interval_ms). */
  readonly frequency: number | undefined;
  /** True when the frequency is estimated (from millisecond timestamps) rather than declared. */
  readonly frequencyIsEstimate?: boolean;
  /** Axis names, when the file says (CSV header, EI sensors); undefined for headerless CSV. */
  readonly axes: readonly string[] | undefined;
  /** Values per frame. */
  readonly channels: number;
  readonly frames: number;
  /** frames × channels values, interleaved per frame (x0 y0 z0 x1 y1 z1 ...). */
  readonly data: Float32Array;
}
