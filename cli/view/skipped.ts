/** The run summary line for samples skipped with `data.onError: skip` (never silent). */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import type { SkippedSample } from '../../core/plugin/types.js';

const SHOWN = 5;

export function formatSkipped(inputDir: string): string | undefined {
  const file = path.join(inputDir, 'skipped.json');
  if (!existsSync(file)) return undefined;
  const skipped = JSON.parse(readFileSync(file, 'utf8')) as SkippedSample[];
  if (skipped.length === 0) return undefined;
  const lines = [pc.yellow(`skipped ${skipped.length} bad sample${skipped.length === 1 ? '' : 's'} (data.onError: skip):`)];
  for (const s of skipped.slice(0, SHOWN)) lines.push(`  ${s.sample}: ${s.reason}`);
  if (skipped.length > SHOWN) lines.push(pc.dim(`  … and ${skipped.length - SHOWN} more (impulse run --json, or ${path.relative(process.cwd(), file)})`));
  return lines.join('\n');
}
