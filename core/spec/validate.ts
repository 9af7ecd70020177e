/**
 * Validates a raw impulse object (from YAML or the TS builder) against the envelope and
 * every block's params schema, collecting ALL problems before throwing, then normalizes.
 */
import { deviceProblems, normalizeDevice } from '../device/choose.js';
import { ImpulseError, ImpulseErrors } from '../errors/impulse-error.js';
import type { Registry } from '../plugin/registry.js';
import type { LearnBlock } from '../plugin/types.js';
import { didYouMean } from '../util/suggest.js';
import { validatorFor } from './ajv.js';
import { problemsFromAjv } from './ajv-errors.js';
import { ID_PATTERN, ImpulseSchema, type ImpulseFile } from './schema.js';
import type { BlockUse, DeployUse, LearnUse, NormalizedImpulse } from './normalized.js';
import { INPUT_REF } from './normalized.js';
import type { SpecSource } from './source.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function validateImpulse(raw: unknown, source: SpecSource, registry: Registry): NormalizedImpulse {
  if (!isObj(raw)) {
    throw new ImpulseErrors([
      new ImpulseError({
        code: 'E_SPEC_TYPE',
        message: 'an impulse file must be a mapping with version, name, data, input, dsp, learn',
        hint: 'Start from `impulse init` or an example in examples/.',
        location: source.locate([]),
      }),
    ]);
  }
  const spec = structuredClone(raw);
  const problems: ImpulseError[] = [];
  const envelope = validatorFor(ImpulseSchema);
  if (!envelope(spec)) problems.push(...problemsFromAjv(envelope.errors ?? [], spec, [], source));

  const input = isObj(spec['input']) ? spec['input'] : undefined;
  const inputParams: Obj = {};
  if (input && typeof input['type'] === 'string') {
    const block = registry.block('input', input['type']);
    const { type: _t, ...rest } = input;
    Object.assign(inputParams, rest);
    if (!block) problems.push(unknownBlock('input', input['type'], ['input', 'type'], source, registry));
    else problems.push(...paramsProblems(block.params, inputParams, ['input'], source));
  }

  const dsp = isObj(spec['dsp']) ? spec['dsp'] : {};
  const learn = isObj(spec['learn']) ? spec['learn'] : {};
  for (const [section, entries] of [['dsp', dsp], ['learn', learn]] as const) {
    for (const [id, entry] of Object.entries(entries)) {
      if (!ID_PATTERN.test(id) || id === INPUT_REF) {
        problems.push(
          new ImpulseError({
            code: 'E_SPEC_ID',
            message: `'${id}' is not a valid block id in ${section}`,
            hint: `Use a letter then letters, digits, - or _ (and not '${INPUT_REF}', which names the input block).`,
            location: source.locate([section, id], 'key'),
          }),
        );
      }
      if (!isObj(entry) || typeof entry['type'] !== 'string') continue;
      const block = registry.block(section, entry['type']);
      if (!block) problems.push(unknownBlock(section, entry['type'], [section, id, 'type'], source, registry));
      else if (isObj(entry['params'])) {
        const found = paramsProblems(block.params, entry['params'], [section, id, 'params'], source);
        problems.push(...found);
        if (found.length === 0 && block.kind === 'learn') problems.push(...modelProblems(block, entry['params'], ['learn', id, 'params', 'layers'], source));
      }
    }
  }
  for (const id of Object.keys(dsp)) if (Object.hasOwn(learn, id)) problems.push(duplicateId(id, source));

  const deploy = Array.isArray(spec['deploy']) ? spec['deploy'] : [];
  deploy.forEach((entry, i) => {
    if (!isObj(entry) || typeof entry['target'] !== 'string') return;
    const target = registry.target(entry['target']);
    if (!target) {
      problems.push(
        new ImpulseError({
          code: 'E_SPEC_UNKNOWN_TARGET',
          message: `unknown deployment target '${entry['target']}'${didYouMean(entry['target'], registry.targetTypes())}`,
          hint: `Known targets: ${registry.targetTypes().join(', ') || '(none)'}; plugins can add more.`,
          location: source.locate(['deploy', i, 'target']),
        }),
      );
    } else if (isObj(entry['params'])) {
      problems.push(...paramsProblems(target.params, entry['params'], ['deploy', i, 'params'], source));
    }
  });

  problems.push(...deviceProblems(spec['device'], spec['devices'], (at) => source.locate(at)));

  if (problems.length > 0) throw new ImpulseErrors(sortByPosition(problems));
  return normalize(spec as unknown as ImpulseFile, inputParams);
}

/** A learn block's check that its network will convert to the model IR, located at its params. */
function modelProblems(block: LearnBlock, params: Obj, at: (string | number)[], source: SpecSource): ImpulseError[] {
  try {
    block.checkModel?.(params as never);
    return [];
  } catch (e) {
    if (!(e instanceof ImpulseError)) throw e;
    return [new ImpulseError({ code: e.code, message: `learn.${String(at[1])}.params.${e.message}`, ...(e.hint ? { hint: e.hint } : {}), location: source.locate(at) })];
  }
}

function paramsProblems(schema: object, params: Obj, prefix: (string | number)[], source: SpecSource): ImpulseError[] {
  const v = validatorFor(schema);
  return v(params) ? [] : problemsFromAjv(v.errors ?? [], params, prefix, source);
}

function unknownBlock(kind: 'input' | 'dsp' | 'learn', type: string, path: (string | number)[], source: SpecSource, registry: Registry): ImpulseError {
  const known = registry.blockTypes(kind);
  return new ImpulseError({
    code: 'E_SPEC_UNKNOWN_BLOCK',
    message: `unknown ${kind} block type '${type}'${didYouMean(type, known)}`,
    hint: `Known ${kind} blocks: ${known.join(', ') || '(none)'}; plugins can add more (plugins: in the impulse file).`,
    location: source.locate(path),
  });
}

function duplicateId(id: string, source: SpecSource): ImpulseError {
  return new ImpulseError({
    code: 'E_SPEC_ID',
    message: `block id '${id}' is used in both dsp and learn`,
    hint: 'Give each block a unique id: `from` lists refer to blocks by id.',
    location: source.locate(['learn', id], 'key'),
  });
}

function normalize(spec: ImpulseFile, inputParams: Obj): NormalizedImpulse {
  const dspIds = Object.keys(spec.dsp);
  const learnIds = Object.keys(spec.learn);
  const use = (e: { type: string; from?: string[]; params: Obj }, defaultFrom: string[]): BlockUse => ({
    type: e.type,
    from: e.from ?? defaultFrom,
    params: e.params,
  });
  const dsp: Record<string, BlockUse> = {};
  for (const id of dspIds) dsp[id] = use(spec.dsp[id]!, [INPUT_REF]);
  const learn: Record<string, LearnUse> = {};
  for (const id of learnIds) {
    const q = spec.learn[id]!.quantize;
    learn[id] = { ...use(spec.learn[id]!, dspIds), quantize: { type: q?.type ?? 'int8', calibrationSamples: q?.calibrationSamples ?? 500, calibration: q?.calibration ?? 'minmax', rounding: q?.rounding ?? 'single' } };
  }
  const deploy: DeployUse[] = spec.deploy.map((d) => ({ target: d.target, from: d.from ?? learnIds, params: d.params }));
  return {
    version: 1,
    name: spec.name,
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    seed: spec.seed,
    plugins: spec.plugins,
    data: spec.data,
    input: { type: spec.input.type, params: inputParams },
    dsp,
    learn,
    ...(spec.device !== undefined ? { device: normalizeDevice(spec.device)! } : {}),
    ...(spec.devices !== undefined ? { devices: spec.devices } : {}),
    deploy,
  };
}

function sortByPosition(problems: ImpulseError[]): ImpulseError[] {
  const pos = (p: ImpulseError) => (p.location?.line ?? 0) * 10000 + (p.location?.col ?? 0);
  return [...problems].sort((a, b) => pos(a) - pos(b));
}
