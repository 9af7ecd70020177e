/**
 * Expands a normalized impulse into its stage DAG (graphology) and checks it:
 * dangling `from` references, port kinds (what a block accepts vs what its source produces)
 * and cycles. Every problem names the file, line and column of the offending reference.
 */
import { DirectedGraph } from 'graphology';
import { ImpulseError, ImpulseErrors } from '../errors/impulse-error.js';
import type { PortKind } from '../plugin/types.js';
import type { Registry } from '../plugin/registry.js';
import { INPUT_REF, type NormalizedImpulse } from '../spec/normalized.js';
import type { SpecSource } from '../spec/source.js';
import { didYouMean } from '../util/suggest.js';

export type StageKind = 'data' | 'input' | 'dsp' | 'learn' | 'quantize' | 'evaluate' | 'profile' | 'deploy' | 'report';

export interface StageNode {
  readonly id: string;
  readonly kind: StageKind;
  /** Block id in the impulse (dsp/learn), the learn id (evaluate) or the target type (deploy). */
  readonly ref?: string;
  /** What the stage produces. */
  readonly output: PortKind | 'metrics' | 'files';
  /** Upstream stage ids in the order the stage consumes them. */
  readonly deps: readonly string[];
}

export type StageGraph = DirectedGraph<StageNode>;

export const stageId = {
  dsp: (id: string) => `dsp:${id}`,
  learn: (id: string) => `learn:${id}`,
  quantize: (id: string) => `quantize:${id}`,
  evaluate: (id: string) => `evaluate:${id}`,
  deploy: (target: string, index: number, all: readonly { target: string }[]) =>
    all.filter((d) => d.target === target).length > 1 ? `deploy:${target}#${index}` : `deploy:${target}`,
};

export function buildStageGraph(spec: NormalizedImpulse, registry: Registry, source: SpecSource): StageGraph {
  const problems: ImpulseError[] = [];
  const nodes: StageNode[] = [];
  const inputBlock = registry.block('input', spec.input.type);
  const inputOutput: PortKind = inputBlock?.output ?? 'signal';
  nodes.push({ id: 'data', kind: 'data', output: 'samples', deps: [] });
  nodes.push({ id: 'input', kind: 'input', output: inputOutput, deps: ['data'] });

  const dspIds = Object.keys(spec.dsp);
  const learnIds = Object.keys(spec.learn);
  const outputOf = (ref: string): PortKind | undefined => (ref === INPUT_REF ? inputOutput : spec.dsp[ref] ? 'features' : undefined);

  for (const [section, ids] of [['dsp', dspIds], ['learn', learnIds]] as const) {
    for (const id of ids) {
      const use = (section === 'dsp' ? spec.dsp : spec.learn)[id]!;
      const block = registry.block(section, use.type);
      const accepts: readonly PortKind[] = block?.accepts ?? [];
      const deps: string[] = [];
      use.from.forEach((ref, i) => {
        const loc = source.locate([section, id, 'from', i]);
        const produced = outputOf(ref);
        if (produced === undefined) {
          const hint = spec.learn[ref]
            ? `'${ref}' is a learn block; ${section} blocks read the input or DSP blocks.`
            : `Refer to '${INPUT_REF}' or a DSP block id: ${dspIds.join(', ') || '(none)'}.`;
          problems.push(
            new ImpulseError({
              code: 'E_SPEC_DANGLING_FROM',
              message: `${section}.${id}.from refers to unknown block '${ref}'${didYouMean(ref, [INPUT_REF, ...dspIds])}`,
              hint,
              location: loc,
            }),
          );
          return;
        }
        if (ref === id && section === 'dsp') {
          problems.push(new ImpulseError({ code: 'E_SPEC_CYCLE', message: `dsp.${id} reads from itself`, hint: 'Remove the self-reference from `from`.', location: loc }));
          return;
        }
        if (block && !accepts.includes(produced)) {
          problems.push(
            new ImpulseError({
              code: 'E_SPEC_PORT',
              message: `${section}.${id} (${use.type}) takes ${accepts.join(' or ')}, but '${ref}' produces ${produced}`,
              hint: produced === 'signal' || produced === 'image' ? 'Put a DSP block (e.g. raw) between the input and this block.' : `Choose a source that produces ${accepts.join(' or ')}.`,
              location: loc,
            }),
          );
        }
        deps.push(ref === INPUT_REF ? 'input' : stageId.dsp(ref));
      });
      nodes.push({ id: section === 'dsp' ? stageId.dsp(id) : stageId.learn(id), kind: section, ref: id, output: section === 'dsp' ? 'features' : 'model', deps });
    }
  }
  for (const id of learnIds) {
    const learnNode = nodes.find((n) => n.id === stageId.learn(id))!;
    const block = registry.block('learn', spec.learn[id]!.type);
    const quantized = block?.toModel !== undefined && spec.learn[id]!.quantize.type === 'int8';
    if (quantized) nodes.push({ id: stageId.quantize(id), kind: 'quantize', ref: id, output: 'model', deps: [learnNode.id, ...learnNode.deps] });
    const models = quantized ? [learnNode.id, stageId.quantize(id)] : [learnNode.id];
    nodes.push({ id: stageId.evaluate(id), kind: 'evaluate', ref: id, output: 'metrics', deps: [...models, ...learnNode.deps] });
  }
  // With a device, `profile` sizes the impulse for it after the evaluation (not a dependency of
  // deploy: changing the device reruns the profile alone).
  if (spec.device) {
    const upstream = ['input', ...dspIds.map(stageId.dsp), ...nodes.filter((n) => n.kind === 'learn' || n.kind === 'quantize' || n.kind === 'evaluate').map((n) => n.id)];
    nodes.push({ id: 'profile', kind: 'profile', output: 'metrics', deps: upstream });
  }
  spec.deploy.forEach((d, i) => {
    // the input stage: targets get the window's shape as the files resolved it (frequency, axes)
    const deps: string[] = ['input'];
    d.from.forEach((ref, j) => {
      if (!spec.learn[ref]) {
        problems.push(
          new ImpulseError({
            code: 'E_SPEC_DANGLING_FROM',
            message: `deploy[${i}].from refers to unknown learn block '${ref}'${didYouMean(ref, learnIds)}`,
            hint: `Deploy one of the learn blocks: ${learnIds.join(', ') || '(none)'}.`,
            location: source.locate(['deploy', i, 'from', j]),
          }),
        );
      } else {
        deps.push(stageId.learn(ref));
        if (nodes.some((n) => n.id === stageId.quantize(ref))) deps.push(stageId.quantize(ref));
      }
    });
    nodes.push({ id: stageId.deploy(d.target, i, spec.deploy), kind: 'deploy', ref: String(i), output: 'files', deps });
  });
  // Last, the report reads every stage's results but the deployables' (core/run/stages/report.ts).
  nodes.push({ id: 'report', kind: 'report', output: 'files', deps: nodes.filter((n) => n.kind !== 'deploy').map((n) => n.id) });

  // In a cycle, port mismatches are a consequence, not the problem: report the cycle alone.
  const cycles = cycleProblems(spec, source);
  if (cycles.length > 0) throw new ImpulseErrors([...problems.filter((p) => p.code !== 'E_SPEC_PORT'), ...cycles]);
  if (problems.length > 0) throw new ImpulseErrors(problems);

  const graph: StageGraph = new DirectedGraph<StageNode>({ multi: false, allowSelfLoops: false });
  for (const n of nodes) graph.addNode(n.id, n);
  for (const n of nodes) for (const d of n.deps) if (!graph.hasEdge(d, n.id)) graph.addDirectedEdge(d, n.id);
  return graph;
}

/** Cycles among DSP blocks (the only section whose blocks may read each other). */
function cycleProblems(spec: NormalizedImpulse, source: SpecSource): ImpulseError[] {
  const problems: ImpulseError[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const reported = new Set<string>();
  const visit = (id: string, trail: string[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      const cycle = [...trail.slice(trail.indexOf(id)), id];
      const key = [...cycle].sort().join();
      if (!reported.has(key)) {
        reported.add(key);
        const from = cycle[cycle.length - 2]!;
        const i = spec.dsp[from]!.from.indexOf(id);
        problems.push(
          new ImpulseError({
            code: 'E_SPEC_CYCLE',
            message: `cycle in dsp blocks: ${cycle.join(' → ')}`,
            hint: 'DSP blocks must form a chain from the input; remove one of these `from` references.',
            location: source.locate(['dsp', from, 'from', i]),
          }),
        );
      }
      return;
    }
    state.set(id, 'visiting');
    for (const ref of spec.dsp[id]?.from ?? []) if (ref !== id && spec.dsp[ref]) visit(ref, [...trail, id]);
    state.set(id, 'done');
  };
  for (const id of Object.keys(spec.dsp)) visit(id, []);
  return problems;
}

/** Stage ids in dependency order (stable: declaration order among independent stages). */
export function topologicalStages(graph: StageGraph): StageNode[] {
  const order: StageNode[] = [];
  const done = new Set<string>();
  const visit = (id: string): void => {
    if (done.has(id)) return;
    done.add(id);
    for (const d of graph.getNodeAttributes(id).deps) visit(d);
    order.push(graph.getNodeAttributes(id));
  };
  graph.forEachNode((id: string) => visit(id));
  return order;
}

/** `ids` and everything upstream of them. */
export function withUpstream(graph: StageGraph, ids: readonly string[]): Set<string> {
  const keep = new Set<string>();
  const visit = (id: string): void => {
    if (keep.has(id)) return;
    keep.add(id);
    for (const d of graph.getNodeAttributes(id).deps) visit(d);
  };
  ids.forEach(visit);
  return keep;
}
