/**
 * Finds, reads and validates an impulse (impulse.yaml or impulse.ts, or a folder holding one),
 * loading its plugins, and checks its paths. All problems of the file are reported at once.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ImpulseError, ImpulseErrors } from '../errors/impulse-error.js';
import { loadPlugins } from '../plugin/load-plugins.js';
import type { Registry } from '../plugin/registry.js';
import { defaultExport, importModule } from '../util/import-module.js';
import type { NormalizedImpulse } from './normalized.js';
import { fileOnlySource, parseYamlSpec, type SpecSource } from './source.js';
import { validateImpulse } from './validate.js';

export const IMPULSE_FILE_NAMES = ['impulse.yaml', 'impulse.yml', 'impulse.ts'] as const;
export const DATASET_PREFIX = 'dataset:';

export interface LoadedImpulse {
  /** Absolute path of the impulse file. */
  readonly file: string;
  /** Folder holding it: the project folder; relative paths resolve here, .impulse/ lives here. */
  readonly dir: string;
  readonly spec: NormalizedImpulse;
  readonly source: SpecSource;
  readonly registry: Registry;
}

export function displayPath(abs: string): string {
  const rel = path.relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

export function findImpulseFile(target: string): string {
  const abs = path.resolve(target);
  if (!existsSync(abs)) {
    throw new ImpulseError({ code: 'E_IMPULSE_NOT_FOUND', message: `no such file or folder: ${target}`, hint: 'Give an impulse file (impulse.yaml or impulse.ts) or a folder holding one.' });
  }
  if (statSync(abs).isDirectory()) {
    for (const name of IMPULSE_FILE_NAMES) {
      const f = path.join(abs, name);
      if (existsSync(f)) return f;
    }
    throw new ImpulseError({
      code: 'E_IMPULSE_NOT_FOUND',
      message: `no impulse.yaml or impulse.ts in ${displayPath(abs)}`,
      hint: 'Create one with `impulse init`, or pass the impulse file itself.',
    });
  }
  return abs;
}

/** The impulse's raw object and where its parts are, before validation. */
export async function readRaw(file: string): Promise<{ raw: unknown; source: SpecSource }> {
  const shown = displayPath(file);
  if (/\.[cm]?ts$/.test(file)) {
    let mod: Record<string, unknown>;
    try {
      mod = await importModule(pathToFileURL(file).href);
    } catch (e) {
      throw new ImpulseError(
        { code: 'E_SPEC_TS', message: `could not load ${shown}: ${(e as Error).message.split('\n')[0]}`, hint: 'Fix the TypeScript error (run with --verbose for the stack).', location: { file: shown } },
        { cause: e },
      );
    }
    const exported = defaultExport(mod);
    const raw = exported && typeof exported === 'object' && 'toSpec' in exported && typeof exported.toSpec === 'function' ? (exported.toSpec as () => unknown)() : exported;
    if (raw === undefined) {
      throw new ImpulseError({ code: 'E_SPEC_TS', message: `${shown} has no default export`, hint: "Export the impulse: `export default impulse({ name: '…' })…`.", location: { file: shown } });
    }
    return { raw, source: fileOnlySource(shown) };
  }
  return parseYamlSpec(shown, readFileSync(file, 'utf8'));
}

export async function loadImpulse(target: string, builtins: Registry): Promise<LoadedImpulse> {
  const file = findImpulseFile(target);
  const dir = path.dirname(file);
  const { raw, source } = await readRaw(file);
  const registry = builtins.clone();
  const plugins = raw && typeof raw === 'object' && Array.isArray((raw as { plugins?: unknown }).plugins) ? (raw as { plugins: unknown[] }).plugins : [];
  await loadPlugins(plugins.filter((p): p is string => typeof p === 'string'), dir, registry, source);
  const spec = validateImpulse(raw, source, registry);
  checkDataSource(spec, dir, source);
  return { file, dir, spec, source, registry };
}

/** Resolves data.source to an absolute folder (not for dataset: sources). */
export function resolveDataFolder(source: string, projectDir: string): string {
  return path.resolve(projectDir, source);
}

function checkDataSource(spec: NormalizedImpulse, dir: string, source: SpecSource): void {
  const src = spec.data.source;
  if (src.startsWith(DATASET_PREFIX)) return; // resolved (and downloaded if needed) by the data stage
  const location = source.locate(['data', 'source']);
  const abs = resolveDataFolder(src, dir);
  if (!path.isAbsolute(src) && path.relative(dir, abs).startsWith('..')) {
    throw new ImpulseErrors([
      new ImpulseError({
        code: 'E_SPEC_PATH_ESCAPE',
        message: `data.source '${src}' is outside the project folder`,
        hint: 'Use a folder inside the project, an absolute path (explicitly outside), or dataset:<name>.',
        location,
      }),
    ]);
  }
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    throw new ImpulseErrors([
      new ImpulseError({
        code: 'E_SPEC_DATA_MISSING',
        message: `data folder '${src}' does not exist`,
        hint: `Create ${displayPath(abs)} with one folder per label, or point data.source at your data (or dataset:<name>).`,
        location,
      }),
    ]);
  }
}
