/**
 * The published JSON Schema (draft-07) of the impulse file, for editor completion: the
 * envelope with every registered block's params spliced in by `type` (if/then), so editors
 * complete and check block parameters too.
 */
import type { Registry } from '../plugin/registry.js';
import { ImpulseSchema } from './schema.js';

type Json = Record<string, unknown>;

const plain = (schema: unknown): Json => JSON.parse(JSON.stringify(schema)) as Json;

function byType(discriminator: string, entries: { type: string; title: string; description: string; params: unknown }[], paramsAt: 'params' | 'inline'): Json[] {
  return entries.map((e) => {
    const params = plain(e.params);
    const then: Json =
      paramsAt === 'params'
        ? { properties: { params: { ...params, description: `${e.title}: ${e.description}` } } }
        : { properties: { ...(params['properties'] as Json), [discriminator]: { const: e.type } }, additionalProperties: false, description: `${e.title}: ${e.description}` };
    return { if: { properties: { [discriminator]: { const: e.type } }, required: [discriminator] }, then };
  });
}

export function impulseJsonSchema(registry: Registry): Json {
  const root = plain(ImpulseSchema);
  const props = root['properties'] as Record<string, Json>;
  const blocks = registry.allBlocks();
  const ofKind = (k: string) => blocks.filter((b) => b.kind === k).sort((a, b) => (a.type < b.type ? -1 : 1));
  const typeExamples = (k: string) => ofKind(k).map((b) => b.type);

  const input = props['input']!;
  (input['properties'] as Record<string, Json>)['type']!['examples'] = typeExamples('input');
  input['allOf'] = byType('type', ofKind('input'), 'inline');

  for (const section of ['dsp', 'learn'] as const) {
    // TypeBox writes a Record as patternProperties; editors read additionalProperties best.
    const record = props[section]!;
    const entry = (record['additionalProperties'] ?? Object.values(record['patternProperties'] as Json)[0]) as Json;
    delete record['patternProperties'];
    record['additionalProperties'] = entry;
    (entry['properties'] as Record<string, Json>)['type']!['examples'] = typeExamples(section);
    entry['allOf'] = byType('type', ofKind(section), 'params');
  }
  const deployItem = props['deploy']!['items'] as Json;
  const targets = registry.allTargets().sort((a, b) => (a.type < b.type ? -1 : 1));
  (deployItem['properties'] as Record<string, Json>)['target']!['examples'] = targets.map((t) => t.type);
  deployItem['allOf'] = byType('target', targets, 'params');

  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://impulse-kit.dev/schema/impulse.schema.json',
    title: 'impulse-kit impulse file',
    ...root,
  };
}
