/** How a user error looks on the terminal: where, what, the offending line with a caret, what to do. */
import pc from 'picocolors';
import type { ImpulseError } from '../../core/errors/impulse-error.js';

export function formatProblem(p: ImpulseError): string {
  const where = p.where();
  const lines = [`${where ? pc.bold(where) + ': ' : ''}${pc.red('error')} ${p.message} ${pc.dim(`[${p.code}]`)}`];
  const l = p.location;
  if (l?.sourceLine !== undefined && l.line !== undefined) {
    const num = String(l.line);
    lines.push(pc.dim(`  ${num} | `) + l.sourceLine);
    lines.push(pc.dim(`  ${' '.repeat(num.length)} | `) + ' '.repeat(Math.max(0, (l.col ?? 1) - 1)) + pc.red('^'));
  }
  if (p.hint) lines.push(`  ${pc.cyan('hint:')} ${p.hint}`);
  return lines.join('\n');
}
