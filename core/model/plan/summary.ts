/** One line a generator or a benchmark prints about a plan: ours next to the two baselines. */
import type { MemoryPlan } from './plan.js';

const bytes = (n: number) => `${n.toLocaleString('en-US')} B`;
const percent = (part: number, whole: number) => (whole > 0 ? `${Math.round((100 * part) / whole)}%` : '—');

export function planSummary(plan: MemoryPlan): string {
  const bound = plan.provenOptimal ? 'optimal' : `lower bound ${bytes(plan.lowerBoundBytes)}`;
  return (
    `arena ${bytes(plan.arenaBytes)} (${bound}) · ` +
    `sum of tensors ${bytes(plan.sumBytes)} (${percent(plan.arenaBytes, plan.sumBytes)}) · ` +
    `greedy by size ${bytes(plan.greedyBytes)} (${percent(plan.arenaBytes, plan.greedyBytes)})`
  );
}
