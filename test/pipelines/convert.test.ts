import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { builtinRegistry } from '../../cli/builtins.js';
import { Registry } from '../../core/plugin/registry.js';
import { loadImpulse } from '../../core/spec/load.js';
import { specToYaml } from '../../pipelines/convert/ts-to-yaml.js';
import { yamlToTs } from '../../pipelines/convert/yaml-to-ts.js';
import { makeProject, testPlugin } from '../support/project.js';
import { repoRoot } from '../support/shared.js';

/** A project that can import 'impulse-kit', as a user's with it installed. */
function project(files: Record<string, string>): string {
  const dir = makeProject(files);
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(repoRoot, path.join(dir, 'node_modules/impulse-kit'));
  return dir;
}

describe('impulse convert', () => {
  test('activity: YAML → TS → YAML keeps the normalized spec', async () => {
    const yamlText = readFileSync(path.join(repoRoot, 'examples/activity/impulse.yaml'), 'utf8');
    const ts = await yamlToTs(parse(yamlText));
    expect(ts).toContain("import { classifier, cpp, impulse, spectralAnalysis, tfjs, tflite, timeSeries } from 'impulse-kit';");
    const dir = project({ 'a/impulse.yaml': yamlText, 'b/impulse.ts': ts });
    const fromYaml = await loadImpulse(path.join(dir, 'a'), builtinRegistry());
    const fromTs = await loadImpulse(path.join(dir, 'b'), builtinRegistry());
    expect(fromTs.spec).toEqual(fromYaml.spec);

    const { default: builder } = (await import(path.join(dir, 'b/impulse.ts'))) as { default: { toSpec(): Record<string, unknown> } };
    writeFileSync(path.join(dir, 'c.yaml'), specToYaml(builder.toSpec(), 'schema.json'));
    expect((await loadImpulse(path.join(dir, 'c.yaml'), builtinRegistry())).spec).toEqual(fromYaml.spec);
  });

  test('plugin blocks go through the generic helpers, with their from lists', async () => {
    const yamlText = `version: 1
name: plug
plugins: [${JSON.stringify(testPlugin)}]
data: { source: ./data }
input: { type: test-numbers, frames: 4 }
dsp:
  m: { type: test-mean, params: { gain: 2 } }
  c: { type: test-clip, from: [input] }
learn:
  nc: { type: test-centroid, from: [m] }
`;
    const ts = await yamlToTs(parse(yamlText));
    expect(ts).toContain(".dsp('m', dspBlock('test-mean', { gain: 2 }))");
    expect(ts).toContain(".learn('nc', learnBlock('test-centroid', {}, ['m']))");
    expect(ts).toContain(".input({ type: 'test-numbers', frames: 4 })");
    const dir = project({ 'a/impulse.yaml': yamlText, 'b/impulse.ts': ts, 'a/data/x/1.csv': '1\n', 'b/data/x/1.csv': '1\n' });
    const a = await loadImpulse(path.join(dir, 'a'), new Registry());
    const b = await loadImpulse(path.join(dir, 'b'), new Registry());
    expect(b.spec).toEqual(a.spec);
  });
});
