/** Copies deploy outputs from the cache to <project>/build/<target>/ (only files that differ). */
import { cpSync, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RunSummary } from './executor.js';

export function buildDirOf(projectDir: string, stage: string): string {
  return path.join(projectDir, 'build', stage.replace(/^deploy:/, '').replace(/[#:]/g, '-'));
}

export function materializeDeploys(projectDir: string, summary: RunSummary): string[] {
  const written: string[] = [];
  for (const [stage, r] of summary.results) {
    if (!stage.startsWith('deploy:')) continue;
    const dest = buildDirOf(projectDir, stage);
    for (const rel of listFiles(r.dir)) {
      const from = path.join(r.dir, rel);
      const to = path.join(dest, rel);
      if (existsSync(to) && statSync(to).size === statSync(from).size && readFileSync(to).equals(readFileSync(from))) continue;
      cpSync(from, to);
      written.push(to);
    }
  }
  return written;
}

function listFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name), path.join(prefix, e.name)) : [path.join(prefix, e.name)],
  );
}
