/**
 * Per-op-kind measurement regions inside a generated network: the model's `<name>_invoke` body is
 * one kernel call per op, each preceded by its `/* op N: … *\/` comment and separated by a blank
 * line (generators/cpp/model/emit-model.ts). Each call is wrapped in the probe of its op kind, so
 * one region sums, say, every conv2d.s8 of the network. The wrapping adds two marker calls per op
 * to the enclosing network region (two instructions); nothing else changes.
 *
 * Returns undefined when the source does not have that structure (then there is no per-op
 * breakdown, and the measurement goes on without it).
 */
export function instrumentOps(source: string, invokeName: string, probeOfOp: (opIndex: number) => number | undefined): string | undefined {
  const head = `void ${invokeName}(uint8_t *arena) {\n`;
  const start = source.indexOf(head);
  if (start < 0) return undefined;
  const bodyStart = start + head.length;
  const bodyEnd = source.indexOf('\n}\n', bodyStart);
  if (bodyEnd < 0) return undefined;
  const chunks = source.slice(bodyStart, bodyEnd).split('\n\n');
  const wrapped: string[] = [];
  for (const chunk of chunks) {
    const m = /^ {2}\/\* op (\d+): /.exec(chunk);
    if (!m) return undefined;
    const probe = probeOfOp(Number(m[1]));
    if (probe === undefined) return undefined;
    wrapped.push(`  IMPULSE_PROBE_BEGIN(${probe});\n  {\n${chunk}\n  }\n  IMPULSE_PROBE_END(${probe});`);
  }
  return `#include "probe.h"\n${source.slice(0, bodyStart)}${wrapped.join('\n\n')}${source.slice(bodyEnd)}`;
}
