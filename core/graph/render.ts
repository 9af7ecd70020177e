/** Text renderings of the stage DAG for `impulse graph`. */
import type { StageGraph } from './build.js';
import { topologicalStages } from './build.js';

const safe = (id: string) => id.replace(/[^A-Za-z0-9_]/g, '_');

export function toMermaid(graph: StageGraph): string {
  const lines = ['flowchart LR'];
  for (const n of topologicalStages(graph)) lines.push(`  ${safe(n.id)}["${n.id}<br/><i>${n.output}</i>"]`);
  for (const n of topologicalStages(graph)) for (const d of n.deps) lines.push(`  ${safe(d)} --> ${safe(n.id)}`);
  return lines.join('\n') + '\n';
}

export function toDot(graph: StageGraph): string {
  const lines = ['digraph impulse {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];'];
  for (const n of topologicalStages(graph)) lines.push(`  "${n.id}" [label="${n.id}\\n(${n.output})"];`);
  for (const n of topologicalStages(graph)) for (const d of n.deps) lines.push(`  "${d}" -> "${n.id}";`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

export function toText(graph: StageGraph): string {
  return topologicalStages(graph).map((n) => `${n.id.padEnd(24)} ← ${n.deps.join(', ') || '(source)'}`).join('\n') + '\n';
}
