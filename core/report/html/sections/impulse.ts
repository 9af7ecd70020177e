/** The impulse as a diagram: stages left to right by depth, each with its block and params. */
import { esc } from '../escape.js';
import type { Section } from '../section.js';
import type { StageInfo } from '../../report-data.js';

/** A value as short text: scalars as they are, lists and objects as compact JSON. */
function shortValue(v: unknown): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

const LONG = 70;

function paramsList(params: Readonly<Record<string, unknown>>): string {
  const entries = Object.entries(params).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '';
  const rows = entries.map(([k, v]) => {
    const text = shortValue(v);
    const shown = text.length > LONG ? `<details><summary>${esc(text.slice(0, 40))}…</summary>${esc(text)}</details>` : esc(text);
    return `<div class="param"><span class="k">${esc(k)}</span> <code>${shown}</code></div>`;
  });
  return `<div class="params">${rows.join('')}</div>`;
}

/** Column of each stage: 0 for stages without inputs, else one past its deepest input. */
function ranks(stages: readonly StageInfo[]): StageInfo[][] {
  const byId = new Map(stages.map((s) => [s.id, s]));
  const depth = new Map<string, number>();
  const depthOf = (s: StageInfo): number => {
    const known = depth.get(s.id);
    if (known !== undefined) return known;
    depth.set(s.id, 0); // guards against a cycle in a damaged lock
    const d = s.deps.length === 0 ? 0 : 1 + Math.max(...s.deps.map((id) => (byId.has(id) ? depthOf(byId.get(id)!) : 0)));
    depth.set(s.id, d);
    return d;
  };
  const out: StageInfo[][] = [];
  for (const s of stages) (out[depthOf(s)] ??= []).push(s);
  return out.filter(Boolean);
}

function stageBox(s: StageInfo): string {
  const block = s.block ? `<div class="blk">${esc(s.block.type)} v${s.block.version}</div>` : '';
  const from = s.deps.length > 0 ? `<div class="from">← ${s.deps.map(esc).join(', ')}</div>` : '';
  return `<div class="stage kind-${esc(s.kind)}" data-stage="${esc(s.id)}"><div class="sid">${esc(s.id)}</div>${block}${paramsList(s.params)}${from}</div>`;
}

export const impulseSection: Section = {
  id: 'impulse',
  title: 'The impulse',
  lede: 'Every stage of the pipeline, left to right in the order they run, with its block, version and the params in its cache key.',
  async render(data) {
    if (data.stages.length === 0) return '<p class="absent">No stages.</p>';
    const columns = ranks(data.stages).map((rank) => `<div class="rank">${rank.map(stageBox).join('')}</div>`);
    return `<div class="dag">${columns.join('<div class="arrow">→</div>')}</div>`;
  },
};
