/** Turns ajv errors into user-facing problems: one per offending place, with a suggestion where one exists. */
import { validatorFor, type ErrorObject } from './ajv.js';
import { ImpulseError } from '../errors/impulse-error.js';
import { didYouMean } from '../util/suggest.js';
import type { SpecPath, SpecSource } from './source.js';

export function formatPath(path: SpecPath): string {
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s === '' ? seg : `.${seg}`;
  return s || '(top level)';
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function show(v: unknown): string {
  if (typeof v === 'string') return `'${v}'`;
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return String(v);
}

function typeName(t: unknown): string {
  const names: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', integer: 'an integer', number: 'a number', boolean: 'true or false', null: 'null' };
  const list = Array.isArray(t) ? t : [t];
  return list.map((x) => names[String(x)] ?? String(x)).join(' or ');
}

function valueAt(root: unknown, path: SpecPath): unknown {
  let v: unknown = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** Literal options of an anyOf of consts (TypeBox Union of Literals), else undefined. */
function literalOptions(schema: unknown): unknown[] | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const s = schema as { anyOf?: unknown[]; enum?: unknown[] };
  if (Array.isArray(s.enum)) return s.enum;
  if (!Array.isArray(s.anyOf)) return undefined;
  const consts = s.anyOf.map((x) => (x && typeof x === 'object' && 'const' in x ? (x as { const: unknown }).const : undefined));
  return consts.every((c) => c !== undefined) ? consts : undefined;
}

/**
 * `prefix` is where the validated object sits in the impulse file (e.g. ['dsp', 'mfcc', 'params']),
 * `root` the validated object itself.
 */
export function problemsFromAjv(errors: readonly ErrorObject[], root: unknown, prefix: SpecPath, source: SpecSource): ImpulseError[] {
  // Errors under a failed anyOf are noise: keep the anyOf itself only.
  const anyOfs = errors.filter((e) => e.keyword === 'anyOf');
  const anyOfPaths = new Set(anyOfs.map((e) => e.instancePath));
  // Nested unions fail at the same place: the outermost (shortest schema path) speaks for them.
  const outermost = new Map<string, ErrorObject>();
  for (const e of anyOfs) {
    const prev = outermost.get(e.instancePath);
    if (!prev || e.schemaPath.length < prev.schemaPath.length) outermost.set(e.instancePath, e);
  }
  const kept = errors.filter((e) =>
    e.keyword === 'anyOf' ? outermost.get(e.instancePath) === e : ![...anyOfPaths].some((p) => e.instancePath === p || e.instancePath.startsWith(p + '/')),
  );
  const seen = new Set<string>();
  const out: ImpulseError[] = [];
  for (const e of kept) {
    const rel = pointerToPath(e.instancePath);
    const narrowed = e.keyword === 'anyOf' ? narrowAnyOf(e, rel, root, prefix, source) : undefined;
    if (narrowed) {
      out.push(...narrowed);
      continue;
    }
    const problem = oneProblem(e, rel, root, prefix, source);
    const k = `${problem.code}|${problem.headline()}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(problem);
    }
  }
  return out;
}

function oneProblem(e: ErrorObject, rel: (string | number)[], root: unknown, prefix: SpecPath, source: SpecSource): ImpulseError {
  const path = [...prefix, ...rel];
  const where = formatPath(path);
  const value = valueAt(root, rel);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperty' as string:
    case 'additionalProperties': {
      const key = String(p['additionalProperty']);
      const known = Object.keys(((e.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object);
      return new ImpulseError({
        code: 'E_SPEC_UNKNOWN_KEY',
        message: `unknown key '${key}' in ${where}${didYouMean(key, known)}`,
        hint: known.length ? `Valid keys here: ${known.join(', ')}.` : 'Remove this key.',
        location: source.locate([...path, key], 'key'),
      });
    }
    case 'required': {
      const key = String(p['missingProperty']);
      return new ImpulseError({
        code: 'E_SPEC_REQUIRED',
        message: `missing required key '${key}' in ${where}`,
        hint: `Add '${key}:' under ${where}.`,
        location: source.locate(path, 'value'),
      });
    }
    case 'type':
      return new ImpulseError({
        code: 'E_SPEC_TYPE',
        message: `${where} must be ${typeName(p['type'])}, got ${show(value)}`,
        location: source.locate(path),
      });
    case 'const':
      return new ImpulseError({
        code: 'E_SPEC_VALUE',
        message: `${where} must be ${show(p['allowedValue'])}, got ${show(value)}`,
        location: source.locate(path),
      });
    case 'enum':
    case 'anyOf': {
      const options = literalOptions(e.parentSchema) ?? (e.keyword === 'enum' ? (p['allowedValues'] as unknown[]) : undefined);
      if (options) {
        return new ImpulseError({
          code: 'E_SPEC_VALUE',
          message: `${where} must be one of ${options.map(show).join(', ')}, got ${show(value)}${typeof value === 'string' ? didYouMean(value, options.map(String)) : ''}`,
          location: source.locate(path),
        });
      }
      const desc = (e.parentSchema as { description?: string } | undefined)?.description;
      return new ImpulseError({
        code: 'E_SPEC_TYPE',
        message: `${where} has an invalid value ${show(value)}${desc ? `: ${desc}` : ''}`,
        location: source.locate(path),
      });
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum': {
      const ops: Record<string, string> = { minimum: '>=', maximum: '<=', exclusiveMinimum: '>', exclusiveMaximum: '<' };
      return new ImpulseError({
        code: 'E_SPEC_RANGE',
        message: `${where} must be ${ops[e.keyword]} ${String(p['limit'])}, got ${show(value)}`,
        location: source.locate(path),
      });
    }
    case 'minItems':
    case 'maxItems':
    case 'minLength':
    case 'maxLength':
      return new ImpulseError({ code: 'E_SPEC_RANGE', message: `${where} ${e.message ?? 'has the wrong size'}`, location: source.locate(path) });
    case 'pattern':
    case 'format': {
      const desc = (e.parentSchema as { description?: string } | undefined)?.description;
      return new ImpulseError({
        code: 'E_SPEC_FORMAT',
        message: `${where} ${show(value)} is not valid${desc ? `: ${desc}` : ''}`,
        location: source.locate(path),
      });
    }
    default:
      return new ImpulseError({ code: 'E_SPEC_INVALID', message: `${where} ${e.message ?? 'is invalid'}`, location: source.locate(path) });
  }
}

type Schema = { type?: unknown; anyOf?: Schema[]; required?: string[]; properties?: Record<string, Schema>; description?: string };

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function branchAccepts(branch: Schema, type: string): boolean {
  const t = branch.type;
  if (t === undefined) return false;
  const list = Array.isArray(t) ? t : [t];
  return list.includes(type) || (type === 'integer' && list.includes('number'));
}

/**
 * A failed anyOf usually has one branch the user meant: the one whose type matches the value
 * (a list, not a preset name), or, for unions of one-key objects (layer lists), the branch
 * named by the value's key. Report that branch's errors instead of "invalid value".
 */
function narrowAnyOf(e: ErrorObject, rel: (string | number)[], root: unknown, prefix: SpecPath, source: SpecSource): ImpulseError[] | undefined {
  const branches = (e.parentSchema as Schema | undefined)?.anyOf;
  if (!branches) return undefined;
  const value = valueAt(root, rel);
  const path = [...prefix, ...rel];
  const single = branches.every((b) => b.type === 'object' && b.required?.length === 1);
  if (single && value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 1) {
    const key = Object.keys(value)[0]!;
    const names = branches.map((b) => b.required![0]!);
    const branch = branches.find((b) => b.required![0] === key);
    if (!branch) {
      return [
        new ImpulseError({
          code: 'E_SPEC_UNKNOWN_KEY',
          message: `unknown '${key}' in ${formatPath(path)}${didYouMean(key, names)}`,
          hint: `Expected one of: ${names.join(', ')}.`,
          location: source.locate([...path, key], 'key'),
        }),
      ];
    }
    return validateBranch(branch, value, path, source);
  }
  const matching = branches.filter((b) => branchAccepts(b, jsonType(value)));
  if (matching.length !== 1) return undefined;
  const description = (e.parentSchema as { description?: string } | undefined)?.description;
  const branch = matching[0]!;
  // The union's description says what the value means; the branch alone rarely does.
  return validateBranch(description && !(branch as { description?: string }).description ? { ...branch, description } : branch, value, path, source);
}

function validateBranch(branch: Schema, value: unknown, path: SpecPath, source: SpecSource): ImpulseError[] | undefined {
  const v = validatorFor(branch as object);
  const copy = structuredClone(value);
  if (v(copy)) return undefined;
  const problems = problemsFromAjv(v.errors ?? [], copy, path, source);
  return problems.length > 0 ? problems : undefined;
}
