import pc from 'picocolors';
import { ImpulseError } from '../../core/errors/impulse-error.js';
import { impulseStatus } from '../../core/run/status.js';
import { didYouMean } from '../../core/util/suggest.js';
import { loadForCli, printJson } from '../load.js';

export async function explainCommand(stage: string, target: string, opts: { json?: boolean }): Promise<void> {
  const impulse = await loadForCli(target);
  const status = await impulseStatus(impulse);
  const s = status.find((x) => x.stage === stage);
  if (!s) {
    const ids = status.map((x) => x.stage);
    throw new ImpulseError({ code: 'E_CLI_UNKNOWN_STAGE', message: `no stage '${stage}'${didYouMean(stage, ids)}`, hint: `Stages: ${ids.join(', ')}.` });
  }
  if (opts.json) {
    printJson(s);
    return;
  }
  if (s.state === 'cached') {
    process.stdout.write(`${stage}: ${pc.green('cached')} (key ${s.key?.slice(0, 12)}${s.lastRun ? `, ran ${s.lastRun.ranAt}` : ''})\n`);
    return;
  }
  process.stdout.write(`${stage}: ${pc.yellow('will run')}\n`);
  for (const r of s.reasons) process.stdout.write(`  ${stage}: ${r}\n`);
}
