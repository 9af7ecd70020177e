/**
 * The git side of `impulse report --compare <ref>`: the commit a ref names and a file as it was
 * in it (`git show <commit>:<path>`). Read-only: nothing is checked out or written.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ImpulseError } from '../../errors/impulse-error.js';

function git(cwd: string, args: readonly string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

const firstLine = (e: unknown) => String((e as { stderr?: string }).stderr ?? (e as Error).message).trim().split('\n')[0] ?? '';

/** The top folder of the git work tree holding `dir`. */
export function gitRoot(dir: string): string {
  try {
    return git(dir, ['rev-parse', '--show-toplevel']).trim();
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ImpulseError({
      code: 'E_REPORT_GIT',
      message: missing ? '--compare needs git, and git is not installed' : `--compare reads another commit's impulse.lock, but ${dir} is not in a git repository (${firstLine(e)})`,
      hint: missing ? 'Install git, or run impulse report without --compare.' : 'Run it inside the repository that holds the impulse, or leave out --compare.',
    });
  }
}

/** The full hash of the commit `ref` names. */
export function resolveCommit(root: string, ref: string): string {
  try {
    return git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]).trim();
  } catch {
    throw new ImpulseError({
      code: 'E_REPORT_GIT_REF',
      message: `--compare: '${ref}' names no commit in ${root}`,
      hint: 'Give a branch, a tag or a commit hash (git log --oneline lists commits), e.g. --compare main or --compare HEAD~1.',
    });
  }
}

/** `file` (absolute, inside root) as it was at `commit`; undefined when that commit does not have it. */
export function showFile(root: string, commit: string, file: string): string | undefined {
  const rel = path.relative(root, file).split(path.sep).join('/');
  try {
    return git(root, ['show', `${commit}:${rel}`]);
  } catch {
    return undefined;
  }
}
