/**
 * Copies what a run produced for the user out of the cache: deploy outputs to
 * <project>/build/<target>/, the report page to <project>/build/report/index.html (only files that
 * differ).
 */
import { cpSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RunSummary } from './executor.js';

export function buildDirOf(projectDir: string, stage: string): string {
  return path.join(projectDir, 'build', stage.replace(/^deploy:/, '').replace(/[#:]/g, '-'));
}

/** The report page's place in the project. */
export const REPORT_PAGE = path.join('build', 'report', 'index.html');

export function materializeDeploys(projectDir: string, summary: RunSummary): string[] {
  const written: string[] = [];
  for (const [stage, r] of summary.results) {
    if (stage === 'report' && existsSync(path.join(r.dir, 'index.html'))) {
      copyIfChanged(path.join(r.dir, 'index.html'), path.join(projectDir, REPORT_PAGE), written);
      continue;
    }
    if (!stage.startsWith('deploy:')) continue;
    const dest = buildDirOf(projectDir, stage);
    for (const rel of listFiles(r.dir)) {
      copyIfChanged(path.join(r.dir, rel), path.join(dest, rel), written);
    }
  }
  return written;
}

function copyIfChanged(from: string, to: string, written: string[]): void {
  if (existsSync(to) && statSync(to).size === statSync(from).size && readFileSync(to).equals(readFileSync(from))) return;
  cpSync(from, to);
  written.push(to);
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name), path.join(prefix, e.name)) : [path.join(prefix, e.name)],
  );
}
