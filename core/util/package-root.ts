import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The impulse-kit package folder, whether running from sources or from dist/. */
export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'impulse-kit') return (root = dir);
    const up = path.dirname(dir);
    if (up === dir) throw new Error('impulse-kit package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}
