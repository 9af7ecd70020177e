/**
 * What a stage's cache key is made of. Kept as parts (not only the hash) so `impulse explain`
 * can say exactly which part changed. Never in here: absolute paths, mtimes, timestamps,
 * run ids, undeclared environment variables.
 */
import { canonicalJson, sha256 } from './hash.js';

export interface KeyParts {
  readonly stage: string;
  readonly kind: string;
  /** Block or target type and implementation version. */
  readonly block?: { readonly type: string; readonly version: number };
  readonly params: unknown;
  /** Only for stages whose output depends on it (training). */
  readonly seed?: number;
  /** Output hashes of upstream stages (not their keys: early cutoff), or of source data for `data`. */
  readonly inputs: Readonly<Record<string, string>>;
}

/** Bump when core changes what any stage writes: every cache entry is then recomputed. */
export const KEY_FORMAT = 2;

export function computeCacheKey(parts: KeyParts): string {
  // The stage id is not part of the identity: two blocks with equal work share an entry.
  const { stage: _stage, ...identity } = parts;
  return sha256(canonicalJson({ format: KEY_FORMAT, ...identity }));
}

export interface PartChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** Leaf-level differences between two sets of key parts ('params.coefficients 13 → 20'). */
export function diffKeyParts(before: KeyParts, after: KeyParts): PartChange[] {
  const changes: PartChange[] = [];
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (canonicalJson(a) === canonicalJson(b)) return;
    const isObj = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
    if (isObj(a) && isObj(b)) {
      for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) walk(a[k], b[k], path ? `${path}.${k}` : k);
      return;
    }
    changes.push({ path, before: a, after: b });
  };
  const { stage: _s1, ...a } = before;
  const { stage: _s2, ...b } = after;
  walk(a, b, '');
  return changes;
}

export function describeChange(c: PartChange): string {
  const show = (v: unknown) => (v === undefined ? '(none)' : typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? v.slice(0, 12) : canonicalJson(v));
  if (c.path.startsWith('inputs.file:')) return `${c.path.slice('inputs.file:'.length)} changed`;
  if (c.path.startsWith('inputs.')) return `${c.path.slice(7)} output changed ${show(c.before)} → ${show(c.after)}`;
  return `${c.path} ${show(c.before)} → ${show(c.after)}`;
}
