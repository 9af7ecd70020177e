/**
 * impulse.yaml → impulse.ts: the same impulse as typed DSL calls (built-in blocks through their
 * typed helpers, plugin blocks through the generic ones). Formatted with ts-morph.
 */
import { tsLiteral } from './literal.js';

type Obj = Record<string, unknown>;

/** Built-in types with a typed helper in pipelines/dsl/blocks.ts. */
const INPUT_HELPERS: Record<string, string> = { 'time-series': 'timeSeries', image: 'image' };
const DSP_HELPERS: Record<string, string> = {
  raw: 'raw',
  flatten: 'flatten',
  'spectral-analysis': 'spectralAnalysis',
  mfcc: 'mfcc',
  mfe: 'mfe',
  spectrogram: 'spectrogram',
  image: 'imageFeatures',
};
const LEARN_HELPERS: Record<string, string> = {
  classifier: 'classifier',
  regression: 'regression',
  'anomaly-kmeans': 'anomalyKmeans',
  'anomaly-gmm': 'anomalyGmm',
  expert: 'expert',
  pretrained: 'pretrained',
};
const TARGET_HELPERS: Record<string, string> = { tfjs: 'tfjs', tflite: 'tflite', cpp: 'cpp', arduino: 'arduino' };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export async function yamlToTs(raw: unknown): Promise<string> {
  if (!isObj(raw)) throw new Error('an impulse must be a mapping');
  const used = new Set<string>(['impulse']);
  const call = (helper: string, args: string) => (used.add(helper), `${helper}(${args})`);
  const withFrom = (params: unknown, from: unknown): Obj => ({ ...(Array.isArray(from) ? { from } : {}), ...(isObj(params) ? params : {}) });

  const header: Obj = {};
  for (const k of ['name', 'seed', 'description', 'plugins'] as const) if (raw[k] !== undefined) header[k] = raw[k];
  const chain: string[] = [`impulse(${tsLiteral(header)})`];
  if (raw['data'] !== undefined) chain.push(`.data(${tsLiteral(raw['data'])})`);
  if (isObj(raw['input'])) {
    const { type, ...params } = raw['input'];
    const helper = INPUT_HELPERS[String(type)];
    chain.push(`.input(${helper ? call(helper, tsLiteral(params)) : tsLiteral(raw['input'])})`);
  }
  for (const [section, helpers, generic] of [
    ['dsp', DSP_HELPERS, 'dspBlock'],
    ['learn', LEARN_HELPERS, 'learnBlock'],
  ] as const) {
    for (const [id, entry] of Object.entries(isObj(raw[section]) ? raw[section] : {})) {
      if (!isObj(entry)) continue;
      const helper = helpers[String(entry['type'])];
      const expr = helper
        ? call(helper, tsLiteral(withFrom(entry['params'], entry['from'])))
        : call(generic, [tsLiteral(entry['type']), tsLiteral(entry['params'] ?? {}), ...(entry['from'] ? [tsLiteral(entry['from'])] : [])].join(', '));
      chain.push(`.${section}(${tsLiteral(id)}, ${expr})`);
    }
  }
  if (raw['devices'] !== undefined) chain.push(`.devices(${tsLiteral(raw['devices'])})`);
  if (raw['device'] !== undefined) chain.push(`.device(${tsLiteral(raw['device'])})`);
  if (Array.isArray(raw['deploy']) && raw['deploy'].length > 0) {
    const targets = raw['deploy'].filter(isObj).map((d) => {
      const helper = TARGET_HELPERS[String(d['target'])];
      return helper
        ? call(helper, tsLiteral(withFrom(d['params'], d['from'])))
        : call('target', [tsLiteral(d['target']), tsLiteral(d['params'] ?? {}), ...(d['from'] ? [tsLiteral(d['from'])] : [])].join(', '));
    });
    chain.push(`.deploy(${targets.join(', ')})`);
  }

  const { Project, IndentationText, QuoteKind } = await import('ts-morph');
  const project = new Project({ useInMemoryFileSystem: true, manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single } });
  const file = project.createSourceFile('impulse.ts', '');
  file.addImportDeclaration({ moduleSpecifier: 'impulse-kit', namedImports: [...used].sort() });
  file.addExportAssignment({ isExportEquals: false, expression: chain.join('\n  ') });
  file.formatText({ indentSize: 2, convertTabsToSpaces: true });
  return `// Converted from impulse.yaml by \`impulse convert\`. The same impulse in the typed DSL.\n${file.getFullText()}`;
}
