import { Value } from '@sinclair/typebox/value';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ImpulseError } from '../../../../core/errors/impulse-error.js';
import { ClassifierParams } from '../../classifier/params.js';
import { expandLayers, type OutputSpec } from './expand.js';
import { PRESET_NAMES, PRESETS } from './presets.js';

const out3: OutputSpec = { units: 3, activation: 'softmax', what: 'one unit per label (3)' };

function userError(f: () => unknown): ImpulseError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ImpulseError);
    return e as ImpulseError;
  }
  throw new Error('expected an ImpulseError');
}

describe('layer lists', () => {
  it('expands a preset and appends the softmax output layer', () => {
    const m = expandLayers('preset/conv1d-audio', [49, 13], out3);
    expect(m.preset).toBe('preset/conv1d-audio');
    expect(m.layers.map((l) => l.type)).toEqual([
      'conv1d', 'maxPool1d', 'dropout', 'conv1d', 'maxPool1d', 'dropout', 'flatten', 'dense',
    ]);
    expect(m.layers.map((l) => l.shape)).toEqual([[49, 8], [25, 8], [25, 8], [25, 16], [13, 16], [13, 16], [208], [3]]);
    expect(m.layers.at(-1)).toMatchObject({ type: 'dense', units: 3, activation: 'softmax', auto: expect.stringContaining('output') });
    expect(m.layers.map((l) => l.name)).toEqual([
      'conv1d_1', 'max_pool1d_2', 'dropout_3', 'conv1d_4', 'max_pool1d_5', 'dropout_6', 'flatten_7', 'dense_8',
    ]);
  });

  it('every preset fits its usual input', () => {
    const inputs: Record<string, number[]> = {
      'preset/dense-motion': [33],
      'preset/conv1d-audio': [49, 13],
      'preset/conv2d-spectrogram': [49, 40],
      'preset/conv2d-image': [32, 32, 3],
    };
    for (const name of PRESET_NAMES) {
      expect(expandLayers(name, inputs[name]!, out3).outputShape).toEqual([3]);
      expect(expandLayers([...PRESETS[name]], inputs[name]!, out3).layers.length).toBeGreaterThan(1);
    }
  });

  it('adapts the input: [n] → [n, 1] for conv1d, [h, w] → [h, w, 1] for conv2d, flatten before dense', () => {
    const a = expandLayers([{ conv1d: { filters: 4 } }], [10], out3);
    expect(a.layers[0]).toMatchObject({ type: 'reshape', targetShape: [10, 1] });
    expect(a.layers.map((l) => l.type)).toEqual(['reshape', 'conv1d', 'flatten', 'dense']);
    const b = expandLayers([{ conv2d: { filters: 4, kernel: [3, 5] } }, { maxPool2d: 2 }, { globalAvgPool: {} }], [8, 8], out3);
    expect(b.layers.map((l) => [l.type, l.shape])).toEqual([
      ['reshape', [8, 8, 1]],
      ['conv2d', [8, 8, 4]],
      ['maxPool2d', [4, 4, 4]],
      ['globalAvgPool2d', [4]],
      ['dense', [3]],
    ]);
    const c = expandLayers([{ dense: { units: 5 } }], [4, 4], out3);
    expect(c.layers.map((l) => l.type)).toEqual(['flatten', 'dense', 'dense']);
    expect(c.layers[1]).toMatchObject({ activation: 'relu' });
  });

  it('keeps a last dense layer with one unit per label as the output layer', () => {
    const m = expandLayers([{ dense: { units: 8 } }, { dense: { units: 3 } }], [4], out3);
    expect(m.layers).toHaveLength(2);
    expect(m.layers[1]).toMatchObject({ units: 3, activation: 'softmax' });
    const e = userError(() => expandLayers([{ dense: { units: 3, activation: 'relu' } }], [4], out3));
    expect(e.message).toMatch(/output layer/);
  });

  it('reports an unknown layer type with the closest valid name', () => {
    const e = userError(() => expandLayers([{ dense: { units: 8 } }, { dens: { units: 3 } }], [4], out3));
    expect(e.code).toBe('E_LEARN_UNKNOWN_LAYER');
    expect(e.message).toContain("layers[1]: unknown layer type 'dens'");
    expect(e.hint).toContain("Did you mean 'dense'?");
    const p = userError(() => expandLayers('preset/conv1d-audo', [4], out3));
    expect(p.code).toBe('E_LEARN_UNKNOWN_PRESET');
    expect(p.hint).toContain("Did you mean 'preset/conv1d-audio'?");
  });

  it('reports bad options and layers that do not fit their input', () => {
    expect(userError(() => expandLayers([{ conv1d: { filters: 4, kernelSize: 3 } }], [9], out3)).hint).toContain("Did you mean 'kernel'?");
    expect(userError(() => expandLayers([{ dense: { units: 4, activation: 'rellu' } }], [9], out3)).hint).toContain("Did you mean 'relu'?");
    expect(userError(() => expandLayers([{ dense: {} }], [9], out3)).message).toContain("'units' is required");
    expect(userError(() => expandLayers([{ conv1d: { filters: 4, kernel: 5, padding: 'valid' } }], [3, 2], out3)).message).toMatch(/larger than its input/);
    const r = userError(() => expandLayers([{ conv2d: { filters: 4 } }], [64], out3));
    expect(r.hint).toContain('{ reshape: { shape: [8, 8, 1] } }');
    expect(userError(() => expandLayers([{ reshape: { shape: [7, 9] } }], [64], out3)).message).toMatch(/cannot reshape/);
    expect(expandLayers([{ reshape: { shape: [8, -1, 1] } }, { conv2d: { filters: 2 } }], [64], out3).layers[0]).toMatchObject({ targetShape: [8, 8, 1] });
    expect(userError(() => expandLayers([{ dropout: 1.5 }], [4], out3)).message).toMatch(/rate/);
    expect(userError(() => expandLayers([{ dense: { units: 2 }, flatten: {} }], [4], out3)).message).toMatch(/one key/);
  });

  it('the params schema accepts layer lists and presets and rejects unknown layer names', () => {
    const ok = Value.Default(ClassifierParams, { layers: [{ conv1d: { filters: 8 } }, { maxPool1d: 2 }, { dropout: 0.25 }, { flatten: {} }, { dense: { units: 10 } }] }) as Record<string, unknown>;
    expect(Value.Check(ClassifierParams, ok)).toBe(true);
    expect(Value.Check(ClassifierParams, Value.Default(ClassifierParams, {}))).toBe(true);
    expect(Value.Default(ClassifierParams, {})).toMatchObject({ layers: 'preset/dense-motion', epochs: 30, learningRate: 0.005, batchSize: 32, earlyStopping: false });
    expect(Value.Check(ClassifierParams, { ...ok, layers: [{ dens: { units: 3 } }] })).toBe(false);
    expect(Value.Check(ClassifierParams, { ...ok, layers: 'preset/nope' })).toBe(false);
    // every top-level key documents itself and has a default
    for (const [key, schema] of Object.entries(ClassifierParams.properties)) {
      expect(schema.description, key).toBeTruthy();
      expect(schema.default, key).not.toBeUndefined();
    }
  });

  it('the design example validates with the spec loader\'s ajv settings (defaults filled in)', () => {
    const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: false, coerceTypes: false });
    const validate = ajv.compile(ClassifierParams);
    const params: Record<string, unknown> = {
      epochs: 60,
      learningRate: 0.005,
      layers: [{ conv1d: { filters: 8, kernel: 3 } }, { maxPool1d: 2 }, { dropout: 0.25 }, { flatten: {} }, { dense: { units: 10 } }],
      earlyStopping: { patience: 5 },
      augmentation: { specAugment: { timeMasks: 2 } },
    };
    expect(validate(params), JSON.stringify(validate.errors)).toBe(true);
    expect(params).toMatchObject({ batchSize: 32, optimizer: 'adam', classWeights: 'none', augmentation: { noise: 0, image: false } });
    expect(validate({ layers: [{ dens: { units: 3 } }] })).toBe(false);
    expect(validate.errors!.some((e) => e.keyword === 'additionalProperties' && e.params['additionalProperty'] === 'dens')).toBe(true);
  });
});
