/**
 * Deterministic train/test split by content hash. Without groupBy each file is its own group,
 * identified by its content (renaming a file does not move it), and the split is stratified
 * per label. With groupBy, groups (speaker, recording …) are ordered by the hash of their
 * name and taken until the test fraction of samples is reached: a group never straddles.
 */
import type { Sample } from '../artifact/types.js';
import { sha256 } from '../run/hash.js';
import type { ScannedFile } from './scan.js';
import { ImpulseError } from '../errors/impulse-error.js';

export interface SplitOptions {
  readonly test: number;
  readonly groupBy?: string;
}

export function groupOf(file: ScannedFile, groupBy: RegExp | undefined): string {
  if (!groupBy) return file.sha256;
  const name = file.id.split('/').pop()!;
  const m = groupBy.exec(name);
  if (!m) return `file:${file.sha256}`;
  return m[1] ?? m[0];
}

export function compileGroupBy(pattern: string | undefined): RegExp | undefined {
  if (pattern === undefined) return undefined;
  try {
    return new RegExp(pattern);
  } catch (e) {
    throw new ImpulseError({ code: 'E_SPEC_FORMAT', message: `data.split.groupBy is not a valid regular expression: ${(e as Error).message}`, hint: 'Use a JavaScript regular expression, e.g. "_([a-z]+)_".' });
  }
}

export function splitSamples(files: readonly ScannedFile[], options: SplitOptions): Sample[] {
  const groupBy = compileGroupBy(options.groupBy);
  const testing = new Set<string>(); // ids
  const free = files.filter((f) => !f.fixedSplit);
  if (!groupBy) {
    const byLabel = new Map<string, ScannedFile[]>();
    for (const f of free) byLabel.set(f.label, [...(byLabel.get(f.label) ?? []), f]);
    for (const list of byLabel.values()) {
      // Ordered by content alone (the id only breaks ties between identical files).
      const ordered = [...list].sort((a, b) => cmp(sha256(`split:${a.sha256}`), sha256(`split:${b.sha256}`)) || cmp(a.id, b.id));
      const n = Math.round(list.length * options.test);
      for (const f of ordered.slice(0, n)) testing.add(f.id);
    }
  } else {
    const groups = new Map<string, ScannedFile[]>();
    for (const f of free) {
      const g = groupOf(f, groupBy);
      groups.set(g, [...(groups.get(g) ?? []), f]);
    }
    const ordered = [...groups.keys()].sort((a, b) => cmp(sha256(`split:${a}`), sha256(`split:${b}`)));
    // Whole groups, in hash order; a group joins the test side when it brings the test share
    // closer to the target (one that would overshoot is passed over, a smaller one may fit).
    const target = free.length * options.test;
    let taken = 0;
    for (const g of ordered) {
      const size = groups.get(g)!.length;
      if (Math.abs(taken + size - target) >= Math.abs(taken - target)) continue;
      for (const f of groups.get(g)!) testing.add(f.id);
      taken += size;
    }
    // Never an empty test side when a split was asked for and there is more than one group.
    if (taken === 0 && options.test > 0 && ordered.length > 1) {
      const smallest = [...ordered].sort((a, b) => groups.get(a)!.length - groups.get(b)!.length)[0]!;
      for (const f of groups.get(smallest)!) testing.add(f.id);
    }
  }
  return files.map((f) => ({
    id: f.id,
    label: f.label,
    split: f.fixedSplit ?? (testing.has(f.id) ? 'testing' : 'training'),
    group: groupOf(f, groupBy),
    size: f.size,
    sha256: f.sha256,
  }));
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
