/** The impulse diagram's data: each stage with its block and the params its cache key holds. */
import type { StageInfo } from '../report-data.js';
import type { StageEntries } from './entries.js';

/** A stage of the graph (this impulse) or of a lock file (a baseline). */
export interface StageNodeLike {
  readonly id: string;
  readonly kind: string;
  readonly deps: readonly string[];
  /** Block and params for stages whose cache entry the report does not read (deploy, the report itself). */
  readonly block?: { readonly type: string; readonly version: number };
  readonly params?: Readonly<Record<string, unknown>>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What the diagram shows of a stage's key params. The profile stage's key holds the whole device
 * profile and every block's params again: the diagram names the device and whether it measures.
 */
export function shownParams(kind: string, params: unknown): Record<string, unknown> {
  if (!isObject(params)) return {};
  if (kind === 'evaluate') return {};
  if (kind === 'profile') {
    const device = isObject(params['device']) ? params['device']['name'] : params['device'];
    return { device, measure: params['measure'], ...(params['windows'] !== undefined ? { windows: params['windows'] } : {}) };
  }
  return params;
}

export function stageInfos(nodes: readonly StageNodeLike[], entries: StageEntries): StageInfo[] {
  return nodes.map((n) => {
    const parts = entries.get(n.id)?.parts;
    const block = parts?.block ?? n.block;
    return { id: n.id, kind: n.kind, ...(block ? { block: { type: block.type, version: block.version } } : {}), params: shownParams(n.kind, parts ? parts.params : n.params), deps: [...n.deps] };
  });
}
