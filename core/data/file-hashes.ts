/**
 * Content hashes of source files with a size+mtime short-circuit: a file whose size and
 * mtime are unchanged since the last scan keeps its recorded hash; otherwise it is re-read.
 * The record lives in .impulse/file-hashes.json (never in a cache key).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { hashFile } from '../run/hash.js';

interface Record_ {
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha256: string;
}

export class FileHashCache {
  private readonly entries: Map<string, Record_>;
  private dirty = false;

  private constructor(private readonly file: string, entries: Map<string, Record_>) {
    this.entries = entries;
  }

  static open(stateDir: string): FileHashCache {
    const file = path.join(stateDir, 'file-hashes.json');
    let entries = new Map<string, Record_>();
    if (existsSync(file)) {
      try {
        entries = new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record_>));
      } catch {
        // A damaged record only costs re-hashing.
      }
    }
    return new FileHashCache(file, entries);
  }

  async hash(absPath: string, size: number, mtimeMs: number): Promise<string> {
    const prev = this.entries.get(absPath);
    if (prev && prev.size === size && prev.mtimeMs === mtimeMs) return prev.sha256;
    const sha256 = await hashFile(absPath);
    this.entries.set(absPath, { size, mtimeMs, sha256 });
    this.dirty = true;
    return sha256;
  }

  save(): void {
    if (!this.dirty) return;
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(Object.fromEntries(this.entries)));
    renameSync(tmp, this.file);
    this.dirty = false;
  }
}
