/** Prints a JSON-like value as a TypeScript literal: identifier keys unquoted, single-quoted strings. */
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function tsLiteral(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(tsLiteral).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    return `{ ${entries.map(([k, v]) => `${IDENT.test(k) ? k : tsLiteral(k)}: ${tsLiteral(v)}`).join(', ')} }`;
  }
  throw new Error(`cannot print ${typeof value} as a TypeScript literal`);
}
