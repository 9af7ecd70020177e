/**
 * User-facing errors. Every problem a user can cause (bad spec, bad data, missing tool)
 * is an ImpulseError with a stable code from the catalogue, a message that says what is
 * wrong, a hint that says what to do, and where it is (file, line:col, or sample id).
 * The CLI prints these without a stack trace; anything else is a bug and shows one.
 */
export interface SourceLocation {
  /** File the problem is in, as the user named it (relative to the cwd when possible). */
  readonly file?: string;
  /** 1-based line and column, for text files such as impulse.yaml. */
  readonly line?: number;
  readonly col?: number;
  /** Sample id (relative path of a data file) for data problems. */
  readonly sample?: string;
  /** The offending source line, shown under the message with a caret. */
  readonly sourceLine?: string;
}

export interface ProblemInit {
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
  readonly location?: SourceLocation;
}

/** One problem; a user error. */
export class ImpulseError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly location: SourceLocation | undefined;

  constructor(init: ProblemInit, options?: { cause?: unknown }) {
    super(init.message, options);
    this.name = 'ImpulseError';
    this.code = init.code;
    this.hint = init.hint;
    this.location = init.location;
  }

  /** `file:line:col` (or `file`, or `sample <id>`) prefix, empty when nothing is known. */
  where(): string {
    const l = this.location;
    if (!l) return '';
    if (l.file && l.line !== undefined) return `${l.file}:${l.line}:${l.col ?? 1}`;
    if (l.file && l.sample) return `${l.file} (sample ${l.sample})`;
    if (l.file) return l.file;
    if (l.sample) return `sample ${l.sample}`;
    return '';
  }

  /** The one-line form used in tests and plain output: `where: message`. */
  headline(): string {
    const w = this.where();
    return w ? `${w}: ${this.message}` : this.message;
  }
}

/** Several problems found at once (e.g. every error of one impulse file). */
export class ImpulseErrors extends Error {
  readonly problems: readonly ImpulseError[];
  constructor(problems: readonly ImpulseError[]) {
    super(problems.map((p) => p.headline()).join('\n'));
    this.name = 'ImpulseErrors';
    this.problems = problems;
  }
}

export function isUserError(e: unknown): e is ImpulseError | ImpulseErrors {
  return e instanceof ImpulseError || e instanceof ImpulseErrors;
}

/** Flattens one or many user errors into a list of problems. */
export function problemsOf(e: ImpulseError | ImpulseErrors): readonly ImpulseError[] {
  return e instanceof ImpulseErrors ? e.problems : [e];
}
