/** The compact table printed after `impulse run`: one block per evaluated learn block. */
import pc from 'picocolors';

interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export function formatMetrics(learnId: string, m: Record<string, unknown>): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const lines: string[] = [];
  if (m['task'] === 'classification') {
    lines.push(`${pc.bold(learnId)}: test accuracy ${pc.bold(pct(m['accuracy'] as number))} on ${m['rows']} windows (test split)`);
    const per = (m['perClass'] as ClassMetrics[] | undefined) ?? [];
    const w = Math.max(5, ...per.map((c) => c.label.length));
    lines.push(pc.dim(`  ${'label'.padEnd(w)}  precision  recall     f1  support`));
    for (const c of per) lines.push(`  ${c.label.padEnd(w)}  ${pct(c.precision).padStart(9)}  ${pct(c.recall).padStart(6)}  ${pct(c.f1).padStart(5)}  ${String(c.support).padStart(7)}`);
  } else if (m['task'] === 'regression') {
    lines.push(`${pc.bold(learnId)}: MAE ${(m['mae'] as number).toFixed(4)}, RMSE ${(m['rmse'] as number).toFixed(4)} on ${m['rows']} windows (test split)`);
  } else {
    lines.push(`${pc.bold(learnId)}: anomaly scores on ${m['rows']} test windows`);
    lines.push(pc.dim('  ' + JSON.stringify(m['perLabel'] ?? m)));
  }
  return lines.join('\n');
}
