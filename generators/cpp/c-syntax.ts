/**
 * Writing C source text: identifiers, literals that round-trip exactly (a float32 constant prints
 * with 9 significant digits, enough to read back the same bits), arrays wrapped for reading, and
 * comments that cannot end early.
 */

/** A C identifier from any name: [A-Za-z0-9_], not starting with a digit. */
export function cIdentifier(name: string): string {
  const id = name.replace(/[^A-Za-z0-9_]/g, '_').replace(/_+/g, '_');
  return /^[0-9]/.test(id) ? `_${id}` : id || '_';
}

/** A float32 literal whose value is exactly `v` rounded to float32. */
export function cFloat(v: number): string {
  const f = Math.fround(v);
  if (Number.isNaN(f)) return 'NAN';
  if (f === Infinity) return 'INFINITY';
  if (f === -Infinity) return '-INFINITY';
  if (Object.is(f, -0)) return '-0.0f';
  let s = f.toPrecision(9);
  // toPrecision can give '1.00000000e+21'; C accepts that form. Make sure there is a '.' or 'e' before the suffix.
  if (!/[.e]/.test(s)) s += '.0';
  return `${s}f`;
}

/** An int32 literal (INT32_MIN cannot be written as a negative literal in C). */
export function cInt(v: number): string {
  return v === -2147483648 ? '(-2147483647 - 1)' : String(v);
}

/** Values of an array initializer, `perLine` to a line, indented. */
export function cArrayBody(values: ArrayLike<number>, format: (v: number) => string, perLine = 16, indent = '  '): string {
  const lines: string[] = [];
  for (let i = 0; i < values.length; i += perLine) {
    const row: string[] = [];
    for (let j = i; j < Math.min(values.length, i + perLine); j++) row.push(format(values[j]!));
    lines.push(indent + row.join(', '));
  }
  return lines.join(',\n');
}

/** Text safe inside a C block comment. */
export function cCommentText(s: string): string {
  return s.replace(/\*\//g, '* /');
}

/** A short description of a float: 6 significant digits, for comments. */
export function shortNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : Number(v.toPrecision(6)).toString();
}
