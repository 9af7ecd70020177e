import pc from 'picocolors';
import { buildStageGraph } from '../../core/graph/build.js';
import { displayPath } from '../../core/spec/load.js';
import { loadForCli, printJson } from '../load.js';

export async function validateCommand(target: string, opts: { json?: boolean }): Promise<void> {
  const impulse = await loadForCli(target);
  const graph = buildStageGraph(impulse.spec, impulse.registry, impulse.source);
  if (opts.json) printJson({ ok: true, file: displayPath(impulse.file), stages: graph.order, spec: impulse.spec });
  else process.stdout.write(`${pc.green('✓')} ${displayPath(impulse.file)} is valid: ${graph.order} stages\n`);
}
