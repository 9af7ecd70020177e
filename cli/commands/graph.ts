import { buildStageGraph, topologicalStages } from '../../core/graph/build.js';
import { toDot, toMermaid, toText } from '../../core/graph/render.js';
import { loadForCli, printJson } from '../load.js';

export async function graphCommand(target: string, opts: { format: 'text' | 'mermaid' | 'dot'; json?: boolean }): Promise<void> {
  const impulse = await loadForCli(target);
  const graph = buildStageGraph(impulse.spec, impulse.registry, impulse.source);
  if (opts.json) {
    printJson({ stages: topologicalStages(graph) });
    return;
  }
  const render = { text: toText, mermaid: toMermaid, dot: toDot }[opts.format];
  process.stdout.write(render(graph));
}
