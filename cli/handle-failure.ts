/** One clear message per user error and a non-zero exit; a stack trace only for bugs or --verbose. */
import pc from 'picocolors';
import { isUserError, problemsOf } from '../core/errors/impulse-error.js';
import { formatProblem } from './view/format-problem.js';

export const EXIT_USER_ERROR = 1;
export const EXIT_INTERNAL = 70;

export function handleFailure(e: unknown, verbose: boolean): void {
  const wantsJson = process.argv.includes('--json');
  if (isUserError(e)) {
    const problems = problemsOf(e);
    if (wantsJson) {
      process.stdout.write(
        JSON.stringify({ ok: false, problems: problems.map((p) => ({ code: p.code, message: p.message, hint: p.hint, ...p.location, sourceLine: undefined })) }) + '\n',
      );
    } else {
      process.stderr.write(problems.map(formatProblem).join('\n') + '\n');
      if (problems.length > 1) process.stderr.write(pc.red(`${problems.length} problems\n`));
    }
    if (verbose && e.stack) process.stderr.write(pc.dim(e.stack) + '\n');
    process.exitCode = EXIT_USER_ERROR;
    return;
  }
  const err = e as Error;
  process.stderr.write(`${pc.red('internal error:')} ${err?.message ?? String(e)}\n`);
  process.stderr.write(verbose ? `${err?.stack ?? ''}\n` : pc.dim('This is a bug in impulse-kit or a plugin; rerun with --verbose for the stack trace.\n'));
  process.exitCode = EXIT_INTERNAL;
}
