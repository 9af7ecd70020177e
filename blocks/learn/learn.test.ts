import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { learnBlocks } from './index.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Modules reachable from `file` through static value imports (type-only and dynamic imports excluded). */
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^'";]*?from\s+'([^']+)'/gm)) {
    const spec = m[1]!;
    if (spec.startsWith('.')) staticImports(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')), seen);
    else seen.add(spec);
  }
  return seen;
}

describe('learnBlocks', () => {
  it('registers every learn block with documented params', () => {
    expect(learnBlocks.map((b) => b.type)).toEqual(['classifier', 'regression', 'anomaly-kmeans', 'anomaly-gmm', 'expert', 'pretrained']);
    for (const b of learnBlocks) {
      expect(b.kind).toBe('learn');
      expect(Number.isInteger(b.version) && b.version >= 1).toBe(true);
      expect(b.accepts).toEqual(['features']);
      expect(b.title && b.description).toBeTruthy();
      const required = new Set<string>((b.params as { required?: string[] }).required ?? []);
      for (const [key, schema] of Object.entries(b.params.properties)) {
        expect(schema.description, `${b.type}.${key}`).toBeTruthy();
        // every key has a default, but one the user must give (pretrained's model file): that one is required
        if (schema.default === undefined) expect(required.has(key), `${b.type}.${key} has no default, so it must be required`).toBe(true);
      }
    }
  });

  it('loading the blocks does not load TF.js (training code is imported lazily)', () => {
    const reached = [...staticImports(path.join(here, 'index.ts'))];
    expect(reached.filter((m) => m.includes('tensorflow') || m.endsWith('blocks/learn/common/tf/load.ts'))).toEqual([]);
    // sanity: the walk does follow relative imports
    expect(reached.some((m) => m.endsWith('classifier/params.ts'))).toBe(true);
  });
});
