/**
 * Every file in ./bad is an impulse with problems; its trailing `# expect: LINE:COL message`
 * lines list every problem it must report, in order, with its exact message and position.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { builtinRegistry } from '../../cli/builtins.js';
import { ImpulseErrors, isUserError, problemsOf } from '../../core/errors/impulse-error.js';
import { buildStageGraph } from '../../core/graph/build.js';
import { loadImpulse } from '../../core/spec/load.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bad');
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

async function problemsOfFile(file: string): Promise<string[]> {
  try {
    const impulse = await loadImpulse(file, builtinRegistry());
    buildStageGraph(impulse.spec, impulse.registry, impulse.source);
  } catch (e) {
    if (!isUserError(e)) throw e;
    return problemsOf(e).map((p) => `${p.location?.line ?? '-'}:${p.location?.col ?? '-'} ${p.message}`);
  }
  return [];
}

describe('bad impulse files', () => {
  test('there are at least 25 of them', () => expect(files.length).toBeGreaterThanOrEqual(25));

  test.each(files)('%s', async (name) => {
    const file = path.join(dir, name);
    const expected = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('# expect: '))
      .map((l) => l.slice('# expect: '.length));
    expect(expected.length).toBeGreaterThan(0);
    expect(await problemsOfFile(file)).toEqual(expected);
  });

  test('every problem names the file and shows the offending line', async () => {
    const file = path.join(dir, 'many-problems.yaml');
    const err = await loadImpulse(file, builtinRegistry()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImpulseErrors);
    for (const p of (err as ImpulseErrors).problems) {
      expect(p.location?.file).toMatch(/many-problems\.yaml$/);
      expect(p.location?.sourceLine).toBe(readFileSync(file, 'utf8').split('\n')[p.location!.line! - 1]);
      expect(p.hint ?? p.message).toBeTruthy();
    }
  });
});
