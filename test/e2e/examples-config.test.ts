/**
 * The example impulses as configurations (no training): for each folder of examples/,
 * impulse.yaml and impulse.ts normalize to the same spec; the classifier fits the 64 KB int8
 * budget (≤ 65,536 weights and biases, counted from the resolved layers at the real feature
 * shape); `impulse validate` accepts both forms; the dataset resolves and splits as the README
 * says (data stage only); the `impulse init` template is the example.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { builtinRegistry } from '../../cli/builtins.js';
import { expandLayers, type ResolvedLayer } from '../../blocks/learn/common/layers/expand.js';
import type { DspBlock, InputBlock, SignalInfo } from '../../core/plugin/types.js';
import { loadImpulse, type LoadedImpulse } from '../../core/spec/load.js';
import { expectOk, impulse } from '../support/cli.js';
import { makeProject } from '../support/project.js';
import { repoRoot } from '../support/shared.js';

/** 64 KB of int8 weights. */
const PARAM_BUDGET = 65_536;

/** Each example, its labels (from its dataset) and the classifier's feature shape. */
const EXAMPLES = [
  { name: 'activity', labels: 3, featureShape: [39], split: '74 samples, 3 labels (59 training, 15 testing)' },
  { name: 'spoken-digits', labels: 10, featureShape: [50, 13], split: '2400 samples, 10 labels (1920 training, 480 testing)' },
  { name: 'handwritten', labels: 10, featureShape: [28, 28, 1], split: '7996 samples, 10 labels (6398 training, 1598 testing)' },
] as const;

/** Weights + biases of each layer (Keras counting; batch norm counts its 4 vectors). */
function layerParams(inputShape: readonly number[], layers: readonly ResolvedLayer[]): number[] {
  let shape = inputShape;
  return layers.map((l) => {
    const cin = shape[shape.length - 1]!;
    shape = l.shape;
    switch (l.type) {
      case 'dense':
        return cin * l.units + l.units;
      case 'conv1d':
        return l.kernel * cin * l.filters + l.filters;
      case 'conv2d':
        return l.kernel[0] * l.kernel[1] * cin * l.filters + l.filters;
      case 'depthwiseConv2d':
        return l.kernel[0] * l.kernel[1] * cin * l.depthMultiplier + cin * l.depthMultiplier;
      case 'separableConv2d':
        return l.kernel[0] * l.kernel[1] * cin * l.depthMultiplier + cin * l.depthMultiplier * l.filters + l.filters;
      case 'batchNorm':
        return 4 * cin;
      default:
        return 0;
    }
  });
}

/** The feature shape the learn block sees, from the input block's and DSP blocks' declared shapes. */
function featureShape(impulse: LoadedImpulse, learnId: string): readonly number[] {
  const { spec, registry } = impulse;
  const input = registry.block('input', spec.input.type) as InputBlock;
  const shapes = new Map<string, SignalInfo>([['input', input.info(spec.input.params as never)]]);
  const infoOf = (id: string): SignalInfo => {
    const known = shapes.get(id);
    if (known) return known;
    const use = spec.dsp[id]!;
    const block = registry.block('dsp', use.type) as DspBlock;
    const source = infoOf(use.from[0]!);
    const info = { ...source, shape: block.shape(use.params as never, source) };
    shapes.set(id, info);
    return info;
  };
  const parts = spec.learn[learnId]!.from.map((id) => infoOf(id).shape);
  // Concatenated features: one block keeps its shape, several are flattened and joined.
  return parts.length === 1 ? parts[0]! : [parts.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0)];
}

describe.each(EXAMPLES)('examples/$name', ({ name, labels, featureShape: expectedShape, split }) => {
  const dir = path.join(repoRoot, 'examples', name);

  test('impulse.yaml and impulse.ts normalize to the same spec', async () => {
    const yaml = await loadImpulse(path.join(dir, 'impulse.yaml'), builtinRegistry());
    const ts = await loadImpulse(path.join(dir, 'impulse.ts'), builtinRegistry());
    expect(ts.spec).toEqual(yaml.spec);
    expect(yaml.spec.name).toBe(name);
  });

  test(`the classifier has at most ${PARAM_BUDGET.toLocaleString('en')} parameters (64 KB as int8)`, async () => {
    const impulse = await loadImpulse(path.join(dir, 'impulse.yaml'), builtinRegistry());
    const shape = featureShape(impulse, 'classifier');
    expect(shape).toEqual(expectedShape);
    const expanded = expandLayers(impulse.spec.learn['classifier']!.params['layers'], shape, { units: labels, activation: 'softmax', what: 'labels' });
    const params = layerParams(expanded.inputShape, expanded.layers).reduce((a, b) => a + b, 0);
    expect(params).toBeGreaterThan(0);
    expect(params).toBeLessThanOrEqual(PARAM_BUDGET);
    // The README states the count; keep it true.
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    expect(readme).toContain(`${params.toLocaleString('en')} parameters`);
  });

  test('impulse validate accepts both forms', async () => {
    for (const file of ['impulse.yaml', 'impulse.ts']) {
      const r = await impulse(repoRoot, 'validate', '--json', path.join(dir, file));
      expectOk(r);
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: true });
    }
  });

  test('its dataset resolves and splits as the README says (data stage only, no training)', async () => {
    const project = makeProject({ 'impulse.yaml': readFileSync(path.join(dir, 'impulse.yaml'), 'utf8') });
    const r = await impulse(project, 'run', '.', '--only', 'data');
    expectOk(r);
    expect(r.stdout + r.stderr).toContain(split);
  });

  test('the `impulse init` template is the example with the installed schema path', () => {
    const example = readFileSync(path.join(dir, 'impulse.yaml'), 'utf8');
    const template = readFileSync(path.join(repoRoot, 'pipelines/templates', name, 'impulse.yaml'), 'utf8');
    expect(template).toBe(example.replace('$schema=../../schema/impulse.schema.json', '$schema=./node_modules/impulse-kit/schema/impulse.schema.json'));
  });
});

test('the counts equal the TF.js models the classifier builds (no training)', async () => {
  const { loadTf } = await import('../../blocks/learn/common/tf/load.js');
  const { buildModel } = await import('../../blocks/learn/common/nn/build.js');
  const loaded = await loadTf();
  for (const { name, labels } of EXAMPLES) {
    const impulse = await loadImpulse(path.join(repoRoot, 'examples', name, 'impulse.yaml'), builtinRegistry());
    const expanded = expandLayers(impulse.spec.learn['classifier']!.params['layers'], featureShape(impulse, 'classifier'), { units: labels, activation: 'softmax', what: 'labels' });
    const model = buildModel(loaded, expanded, 1, name);
    expect(layerParams(expanded.inputShape, expanded.layers).reduce((a, b) => a + b, 0), name).toBe(model.countParams());
    model.dispose();
  }
});
