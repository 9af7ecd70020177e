/** Writes schema/impulse.schema.json from the built-in blocks' schemas (`npm run schema`). */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinRegistry } from '../cli/builtins.js';
import { impulseJsonSchema } from '../core/spec/json-schema.js';
import { packageRoot } from '../core/util/package-root.js';

export const schemaFile = path.join(packageRoot(), 'schema/impulse.schema.json');

export function renderSchema(): string {
  return JSON.stringify(impulseJsonSchema(builtinRegistry()), null, 2) + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  mkdirSync(path.dirname(schemaFile), { recursive: true });
  writeFileSync(schemaFile, renderSchema());
  process.stdout.write(`wrote ${path.relative(process.cwd(), schemaFile)}\n`);
}
