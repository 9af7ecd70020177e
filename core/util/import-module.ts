/** Imports a JS or TS module by file URL; TS goes through tsx, loaded only when needed. */
export async function importModule(url: string): Promise<Record<string, unknown>> {
  if (/\.[cm]?tsx?$/.test(new URL(url).pathname)) {
    const { tsImport } = await import('tsx/esm/api');
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
  return (await import(url)) as Record<string, unknown>;
}

/** A module's default export; a TS file compiled as CommonJS nests it one level deeper. */
export function defaultExport(mod: Record<string, unknown>): unknown {
  let d = mod['default'];
  if (d && typeof d === 'object' && 'default' in d && Object.keys(d).every((k) => k === 'default' || k === '__esModule')) d = (d as { default: unknown }).default;
  return d;
}
