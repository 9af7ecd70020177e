/**
 * Finds the samples of a data folder and their labels:
 *   <label>/<file>                      label from the folder
 *   <label>.<id>.<ext>                  label from the file name (Edge Impulse export style)
 *   training/… and testing/…            the split is taken from the folders
 *   info.labels (Edge Impulse export)   labels and categories per file, where it lists them
 * Hidden files and README/LICENSE/manifest files are ignored.
 */
import { existsSync, promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { ImpulseError } from '../errors/impulse-error.js';
import type { Split } from '../artifact/types.js';
import type { FileHashCache } from './file-hashes.js';
import { IGNORED } from './ignored.js';

export interface ScannedFile {
  /** Relative to the data root, forward slashes. */
  readonly id: string;
  readonly label: string;
  /** Split fixed by a training/ or testing/ folder, if any. */
  readonly fixedSplit?: Split;
  readonly size: number;
  readonly sha256: string;
}

export { IGNORED } from './ignored.js';
const SPLIT_DIRS: Record<string, Split> = { training: 'training', train: 'training', testing: 'testing', test: 'testing' };

/** Labels and categories from an Edge Impulse `info.labels` export, by relative path. */
export function readInfoLabels(root: string): Map<string, { label: string; fixedSplit?: Split }> | undefined {
  const file = path.join(root, 'info.labels');
  if (!existsSync(file)) return undefined;
  const fail = (why: string) =>
    new ImpulseError({
      code: 'E_DATA_INFO_LABELS',
      message: `info.labels: ${why}`,
      hint: 'It must be JSON like {"version":1,"files":[{"path":"training/a.json","category":"training","label":{"type":"label","label":"idle"}}]}; fix or remove it (labels then come from folder or file names).',
      location: { file },
    });
  let doc: { files?: unknown };
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as { files?: unknown };
  } catch (e) {
    throw fail(`not valid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(doc.files)) throw fail('has no "files" list');
  const out = new Map<string, { label: string; fixedSplit?: Split }>();
  doc.files.forEach((f: { path?: unknown; category?: unknown; label?: { type?: unknown; label?: unknown } }, i) => {
    if (typeof f?.path !== 'string') throw fail(`files[${i}] has no "path"`);
    const label = f.label?.type === 'label' && typeof f.label.label === 'string' ? f.label.label : undefined;
    if (label === undefined) return; // unlabeled entries fall back to the name rules
    const fixedSplit = f.category === 'training' || f.category === 'testing' ? f.category : undefined;
    out.set(f.path.replace(/\\/g, '/').replace(/^\.\//, ''), fixedSplit ? { label, fixedSplit } : { label });
  });
  return out;
}

export async function scanDataFolder(root: string, hashes: FileHashCache, onProgress?: (done: number, total: number) => void): Promise<ScannedFile[]> {
  const infoLabels = readInfoLabels(root);
  const found: { rel: string; abs: string }[] = [];
  const walk = async (dir: string, rel: string): Promise<void> => {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const ent of entries) {
      if (IGNORED.test(ent.name)) continue;
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory()) await walk(path.join(dir, ent.name), r);
      else if (ent.isFile()) found.push({ rel: r, abs: path.join(dir, ent.name) });
    }
  };
  await walk(root, '');
  const out: ScannedFile[] = [];
  let done = 0;
  const stats = await Promise.all(found.map((f) => fs.stat(f.abs)));
  for (const [i, f] of found.entries()) {
    const st = stats[i]!;
    const { label, fixedSplit } = infoLabels?.get(f.rel) ?? labelOf(f.rel);
    out.push({ id: f.rel, label, ...(fixedSplit ? { fixedSplit } : {}), size: st.size, sha256: await hashes.hash(f.abs, st.size, st.mtimeMs) });
    onProgress?.(++done, found.length);
  }
  if (out.length === 0) {
    throw new ImpulseError({
      code: 'E_DATA_EMPTY',
      message: `no samples found in ${root}`,
      hint: 'Put samples in one folder per label (<label>/<file>) or name them <label>.<id>.<ext>.',
      location: { file: root },
    });
  }
  return out;
}

export function labelOf(rel: string): { label: string; fixedSplit?: Split } {
  const parts = rel.split('/');
  let fixedSplit: Split | undefined;
  const first = parts[0]?.toLowerCase() ?? '';
  if (parts.length > 1 && SPLIT_DIRS[first]) {
    fixedSplit = SPLIT_DIRS[first];
    parts.shift();
  }
  const fileName = parts[parts.length - 1]!;
  // A folder names the label; else the file name's first dotted field does.
  const label = parts.length > 1 ? parts[parts.length - 2]! : fileName.includes('.') && fileName.split('.').length >= 3 ? fileName.split('.')[0]! : '';
  if (!label) {
    throw new ImpulseError({
      code: 'E_DATA_NO_LABEL',
      message: `cannot tell the label of ${rel}`,
      hint: 'Put it in a folder named after its label (<label>/<file>), or name it <label>.<id>.<ext>.',
      location: { sample: rel },
    });
  }
  return fixedSplit ? { label, fixedSplit } : { label };
}
