/**
 * The one error type of the format decoders: a sample's bytes are not usable, for a reason
 * the user can act on. The input blocks turn it into an ImpulseError naming the sample
 * (or a skipped-sample entry), so `message` is written for users: no stack, no jargon
 * beyond the file format's own terms.
 */
export class SampleDecodeError extends Error {
  /** What the user can do about it; the input block supplies a generic hint when absent. */
  readonly hint: string | undefined;

  constructor(reason: string, hint?: string) {
    super(reason);
    this.name = 'SampleDecodeError';
    this.hint = hint;
  }
}

/** Formats a number for messages: integers as is, others with at most 3 decimals. */
export function fmtNum(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toFixed(3)));
}
