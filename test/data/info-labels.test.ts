import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { FileHashCache } from '../../core/data/file-hashes.js';
import { scanDataFolder } from '../../core/data/scan.js';
import { ImpulseError } from '../../core/errors/impulse-error.js';
import { makeProject } from '../support/project.js';

describe('info.labels (Edge Impulse export)', () => {
  test('labels and categories come from info.labels where it lists a file; names elsewhere', async () => {
    const dir = makeProject({
      'data/training/sample1.json': '{}',
      'data/testing/sample2.json': '{}',
      'data/extra/idle.3.json': '{}',
      'data/info.labels': JSON.stringify({
        version: 1,
        files: [
          { path: 'training/sample1.json', name: 'sample1', category: 'training', label: { type: 'label', label: 'wave' } },
          { path: 'testing/sample2.json', name: 'sample2', category: 'testing', label: { type: 'label', label: 'idle' } },
        ],
      }),
    });
    const files = await scanDataFolder(path.join(dir, 'data'), FileHashCache.open(path.join(dir, '.impulse')));
    expect(files.map((f) => [f.id, f.label, f.fixedSplit])).toEqual([
      ['extra/idle.3.json', 'extra', undefined],
      ['testing/sample2.json', 'idle', 'testing'],
      ['training/sample1.json', 'wave', 'training'],
    ]);
  });

  test('a broken info.labels is a clear error naming it', async () => {
    const dir = makeProject({ 'data/a/x.csv': '1\n' });
    writeFileSync(path.join(dir, 'data/info.labels'), '{"files": [ {"category": "training"} ]}');
    const err = await scanDataFolder(path.join(dir, 'data'), FileHashCache.open(path.join(dir, '.impulse'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImpulseError);
    expect((err as ImpulseError).headline()).toBe(`${path.join(dir, 'data/info.labels')}: info.labels: files[0] has no "path"`);
  });
});
