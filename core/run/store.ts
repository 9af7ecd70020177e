/**
 * Content-addressed stage store: `.impulse/cache/<key>/{manifest.json,out/}`.
 * Entries are built in `.impulse/tmp/` and renamed into place, so a crash never leaves a
 * half-written entry. On read, file sizes are checked and any file whose mtime moved is
 * re-hashed: a corrupt entry is reported and dropped, and the stage recomputes.
 */
import { existsSync, promises as fs, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { canonicalJson, hashFile, sha256 } from './hash.js';
import type { KeyParts } from './cache-key.js';

export interface ManifestFile {
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  readonly mtimeMs: number;
}

export interface CacheManifest {
  readonly format: 1;
  readonly key: string;
  readonly parts: KeyParts;
  /** Hash of the output files (paths + contents): what downstream keys are made of. */
  readonly outputHash: string;
  readonly files: readonly ManifestFile[];
  readonly durationMs: number;
  readonly createdAt: string;
}

export interface CacheEntry {
  readonly manifest: CacheManifest;
  /** Folder holding the stage's output files. */
  readonly dir: string;
}

export type Lookup = { readonly status: 'hit'; readonly entry: CacheEntry } | { readonly status: 'miss' } | { readonly status: 'corrupt'; readonly reason: string };

export function outputHashOf(files: readonly Pick<ManifestFile, 'path' | 'sha256'>[]): string {
  return sha256(canonicalJson([...files].sort((a, b) => (a.path < b.path ? -1 : 1)).map((f) => [f.path, f.sha256])));
}

export class CacheStore {
  readonly cacheDir: string;
  readonly tmpDir: string;

  constructor(readonly root: string) {
    this.cacheDir = path.join(root, 'cache');
    this.tmpDir = path.join(root, 'tmp');
  }

  entryDir(key: string): string {
    return path.join(this.cacheDir, key);
  }

  /** Reads the manifest only (for status/explain): no verification. */
  peek(key: string): CacheManifest | undefined {
    try {
      return JSON.parse(readFileSync(path.join(this.entryDir(key), 'manifest.json'), 'utf8')) as CacheManifest;
    } catch {
      return undefined;
    }
  }

  async lookup(key: string): Promise<Lookup> {
    const dir = this.entryDir(key);
    if (!existsSync(dir)) return { status: 'miss' };
    let manifest: CacheManifest;
    try {
      manifest = JSON.parse(await fs.readFile(path.join(dir, 'manifest.json'), 'utf8')) as CacheManifest;
      if (manifest.key !== key || !Array.isArray(manifest.files)) throw new Error('manifest does not match its key');
    } catch (e) {
      return this.dropCorrupt(key, `unreadable manifest (${(e as Error).message})`);
    }
    const out = path.join(dir, 'out');
    for (const f of manifest.files) {
      const file = path.join(out, f.path);
      let st;
      try {
        st = statSync(file);
      } catch {
        return this.dropCorrupt(key, `missing file ${f.path}`);
      }
      if (st.size !== f.size) return this.dropCorrupt(key, `${f.path} has ${st.size} bytes, expected ${f.size}`);
      if (st.mtimeMs !== f.mtimeMs && (await hashFile(file)) !== f.sha256) return this.dropCorrupt(key, `${f.path} checksum mismatch`);
    }
    if (outputHashOf(manifest.files) !== manifest.outputHash) return this.dropCorrupt(key, 'output hash does not match its files');
    return { status: 'hit', entry: { manifest, dir: out } };
  }

  private dropCorrupt(key: string, reason: string): Lookup {
    rmSync(this.entryDir(key), { recursive: true, force: true });
    return { status: 'corrupt', reason };
  }

  /** A fresh private folder under tmp/ for building an entry. */
  async begin(key: string): Promise<string> {
    const dir = path.join(this.tmpDir, `${key.slice(0, 16)}.${process.pid}.${randomBytes(4).toString('hex')}`);
    await fs.mkdir(path.join(dir, 'out'), { recursive: true });
    return dir;
  }

  /** Checksums the files built in `tmp`, writes the manifest and renames the entry into place. */
  async commit(tmp: string, key: string, parts: KeyParts, durationMs: number): Promise<CacheEntry> {
    const out = path.join(tmp, 'out');
    const files: ManifestFile[] = [];
    for (const rel of await listFiles(out)) {
      const abs = path.join(out, rel);
      const st = await fs.stat(abs);
      files.push({ path: rel, size: st.size, sha256: await hashFile(abs), mtimeMs: st.mtimeMs });
    }
    files.sort((a, b) => (a.path < b.path ? -1 : 1));
    const manifest: CacheManifest = { format: 1, key, parts, outputHash: outputHashOf(files), files, durationMs, createdAt: new Date().toISOString() };
    const mf = path.join(tmp, 'manifest.json');
    const handle = await fs.open(mf, 'w');
    await handle.writeFile(JSON.stringify(manifest, null, 1));
    await handle.sync();
    await handle.close();
    await fs.mkdir(this.cacheDir, { recursive: true });
    const dest = this.entryDir(key);
    rmSync(dest, { recursive: true, force: true });
    try {
      await fs.rename(tmp, dest);
    } catch (e) {
      // Another process committed the same key first: theirs is as good as ours.
      if (!existsSync(path.join(dest, 'manifest.json'))) throw e;
      rmSync(tmp, { recursive: true, force: true });
    }
    return { manifest, dir: path.join(dest, 'out') };
  }

  abort(tmp: string): void {
    rmSync(tmp, { recursive: true, force: true });
  }

  /** Removes temp folders left by processes that no longer run (a crash or a kill). */
  sweepTemp(): number {
    if (!existsSync(this.tmpDir)) return 0;
    let removed = 0;
    for (const name of readdirSync(this.tmpDir)) {
      const pid = Number(name.split('.')[1]);
      if (pid === process.pid || (Number.isInteger(pid) && isAlive(pid))) continue;
      rmSync(path.join(this.tmpDir, name), { recursive: true, force: true });
      removed++;
    }
    return removed;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const ent of await fs.readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${ent.name}` : ent.name;
    if (ent.isDirectory()) out.push(...(await listFiles(path.join(dir, ent.name), rel)));
    else if (ent.isFile()) out.push(rel);
  }
  return out;
}
