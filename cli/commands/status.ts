import pc from 'picocolors';
import { impulseStatus } from '../../core/run/status.js';
import { loadForCli, printJson } from '../load.js';

export async function statusCommand(target: string, opts: { json?: boolean }): Promise<void> {
  const impulse = await loadForCli(target);
  const status = await impulseStatus(impulse);
  if (opts.json) {
    printJson({ impulse: impulse.spec.name, stages: status });
    return;
  }
  const width = Math.max(...status.map((s) => s.stage.length));
  for (const s of status) {
    const state = s.state === 'cached' ? pc.green('cached') : pc.yellow('stale ');
    process.stdout.write(`${s.stage.padEnd(width)}  ${state}  ${pc.dim(s.reasons.join('; '))}\n`);
  }
  const stale = status.filter((s) => s.state === 'stale').length;
  process.stdout.write(stale ? `${stale} stage(s) would run: impulse run\n` : 'everything is up to date\n');
}
