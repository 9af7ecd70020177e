/** Loads an impulse's `plugins:` (npm package names or paths relative to the impulse file) into a registry. */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ImpulseError } from '../errors/impulse-error.js';
import { defaultExport, importModule } from '../util/import-module.js';
import type { Registrable, Registry } from './registry.js';
import { RegistryConflictError } from './registry.js';
import type { SpecSource } from '../spec/source.js';

function isRegistrable(v: unknown): v is Registrable {
  if (!v || typeof v !== 'object') return false;
  const k = (v as { kind?: unknown }).kind;
  return (k === 'input' || k === 'dsp' || k === 'learn' || k === 'target') && typeof (v as { type?: unknown }).type === 'string';
}

/** A plugin's default export: one block/target, a list, or `{ blocks, targets }`. */
function itemsOf(mod: Record<string, unknown>): Registrable[] {
  const d = defaultExport(mod) ?? mod;
  if (isRegistrable(d)) return [d];
  if (Array.isArray(d)) return d.filter(isRegistrable);
  if (d && typeof d === 'object') {
    const o = d as { blocks?: unknown; targets?: unknown };
    return [...(Array.isArray(o.blocks) ? o.blocks : []), ...(Array.isArray(o.targets) ? o.targets : [])].filter(isRegistrable);
  }
  return [];
}

export async function loadPlugins(names: readonly string[], projectDir: string, registry: Registry, source: SpecSource): Promise<void> {
  for (const [i, name] of names.entries()) {
    const location = source.locate(['plugins', i]);
    const isPath = name.startsWith('.') || path.isAbsolute(name);
    let url: string;
    try {
      if (isPath) {
        const abs = path.resolve(projectDir, name);
        if (!path.isAbsolute(name) && path.relative(projectDir, abs).startsWith('..')) {
          throw new ImpulseError({ code: 'E_SPEC_PATH_ESCAPE', message: `plugin path '${name}' is outside the project folder`, hint: 'Put the plugin inside the project, or give an absolute path.', location });
        }
        url = pathToFileURL(abs).href;
      } else {
        url = pathToFileURL(createRequire(path.join(projectDir, 'noop.js')).resolve(name)).href;
      }
    } catch (e) {
      if (e instanceof ImpulseError) throw e;
      throw new ImpulseError({ code: 'E_PLUGIN_NOT_FOUND', message: `plugin '${name}' not found`, hint: `Install it (npm install ${name}) in the project, or fix the path.`, location });
    }
    let mod: Record<string, unknown>;
    try {
      mod = await importModule(url);
    } catch (e) {
      throw new ImpulseError(
        { code: 'E_PLUGIN_LOAD', message: `plugin '${name}' failed to load: ${(e as Error).message}`, hint: 'Fix the plugin module (run with --verbose for the stack).', location },
        { cause: e },
      );
    }
    const items = itemsOf(mod);
    if (items.length === 0) {
      throw new ImpulseError({ code: 'E_PLUGIN_EMPTY', message: `plugin '${name}' exports no block or target`, hint: 'Its default export must be a defineBlock/defineTarget value, a list of them, or { blocks, targets }.', location });
    }
    try {
      registry.registerAll(items, name);
    } catch (e) {
      if (e instanceof RegistryConflictError) throw new ImpulseError({ code: 'E_PLUGIN_CONFLICT', message: e.message, hint: 'Rename the plugin block type.', location });
      throw e;
    }
  }
}
