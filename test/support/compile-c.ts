/**
 * Compile C on the host and run it — for tests of C code (the blocks' C implementations, the
 * generated SDK). Sources are written into a fresh temp folder, compiled with gcc / clang (or a
 * cross compiler, `-c` only) and the executable is run with binary stdin / stdout.
 *
 *   if (!haveCompiler('gcc')) return;                       // skips loudly; a failure in CI
 *   const prog = await compileC({
 *     files: new Map([['main.c', driver], ['blocks/mfcc/mfcc.c', src], …]),
 *     includeDirs: ['blocks'],
 *   });
 *   try {
 *     const out = await prog.run({ stdin: floatsToBuffer(windows), args: ['0'] });
 *     const features = bufferToFloats(out);
 *   } finally {
 *     prog.cleanup();                                       // IMPULSE_KEEP_C=1 keeps the folder
 *   }
 *
 *   await compileObjects({ files, compiler: 'arm-none-eabi-gcc', flags: [...STRICT_C99_FLAGS, ...CORTEX_M4F_FLAGS, '-O2'] });
 *
 * The program runs with the temp folder as its working directory, so data files put in `files` can
 * be passed by relative path in `args`. Errors carry the compiler's (or the program's) stderr and the
 * exact command, so a failing test says what to fix. Nothing is written outside the temp folder.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { haveTool } from './shared.js';

/** The warning flags every C file of the project must pass (C99, warnings are errors). */
export const STRICT_C99_FLAGS: readonly string[] = ['-std=c99', '-Wall', '-Wextra', '-Werror', '-pedantic'];

/**
 * Float arithmetic exactly as written: no fused multiply-add (which rounds once where the source
 * rounds twice). The generated SDK builds with it; tests that compare C with TS bit for bit need it.
 */
export const EXACT_FLOAT_FLAGS: readonly string[] = ['-ffp-contract=off'];

/** Cortex-M4F code generation for arm-none-eabi-gcc (single-precision FPU, hard-float ABI). */
export const CORTEX_M4F_FLAGS: readonly string[] = ['-mcpu=cortex-m4', '-mthumb', '-mfpu=fpv4-sp-d16', '-mfloat-abi=hard'];

const compilerSeen = new Map<string, boolean>();

/**
 * True when the compiler runs. When it does not: in CI (`CI=true`) throws, elsewhere warns loudly
 * once and returns false (the test should then skip). Same rule as `haveTool`.
 */
export function haveCompiler(cmd = 'gcc'): boolean {
  let ok = compilerSeen.get(cmd);
  if (ok === undefined) {
    ok = haveTool(cmd);
    compilerSeen.set(cmd, ok);
  }
  return ok;
}

export interface CompileOptions {
  /** Files to write, by path relative to the temp folder (sources, headers, data). */
  readonly files: ReadonlyMap<string, string | Uint8Array>;
  /** The `.c` files to compile (relative paths); default: every `.c` in `files`. */
  readonly compile?: readonly string[];
  /** Default 'gcc'. */
  readonly compiler?: string;
  /** Default STRICT_C99_FLAGS and -O2. */
  readonly flags?: readonly string[];
  /** Include folders relative to the temp folder (`-I`). */
  readonly includeDirs?: readonly string[];
  /** Libraries / linker flags after the sources; default ['-lm']. */
  readonly libs?: readonly string[];
  /** Milliseconds before the compiler is killed (default 120 s). */
  readonly timeoutMs?: number;
}

export interface RunOptions {
  readonly stdin?: Uint8Array;
  readonly args?: readonly string[];
  /** Default 120 s. */
  readonly timeoutMs?: number;
  /** Non-zero exit codes that are not an error (the caller inspects `code`). */
  readonly allowExit?: readonly number[];
}

export interface RunResult {
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly code: number;
}

export interface CompiledProgram {
  /** The temp folder holding sources and the executable. */
  readonly dir: string;
  readonly exe: string;
  /** Runs the program; rejects on a non-zero exit (unless allowed), a signal or a timeout, with its stderr. */
  run(options?: RunOptions): Promise<RunResult>;
  /** Removes the temp folder (kept when IMPULSE_KEEP_C=1, for debugging). */
  cleanup(): void;
}

interface Spawned {
  stdout: Buffer;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

function spawnCollect(cmd: string, args: readonly string[], stdin: Uint8Array | undefined, timeoutMs: number, cwd?: string): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), code, signal });
    });
    // a program that exits early closes its stdin: ignore EPIPE, the exit status tells
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdin ? Buffer.from(stdin.buffer, stdin.byteOffset, stdin.byteLength) : undefined);
  });
}

function writeFiles(dir: string, files: ReadonlyMap<string, string | Uint8Array>): void {
  for (const [rel, content] of files) {
    const abs = path.resolve(dir, rel);
    if (!abs.startsWith(dir + path.sep)) throw new Error(`compile-c: file path ${rel} leaves the temp folder`);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
}

function commandLine(cmd: string, args: readonly string[]): string {
  return [cmd, ...args].map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

function sourcesOf(o: CompileOptions): string[] {
  return [...(o.compile ?? [...o.files.keys()].filter((f) => f.endsWith('.c')))];
}

function keep(): boolean {
  return process.env['IMPULSE_KEEP_C'] === '1';
}

/** Compiles and links the sources into an executable in a temp folder. */
export async function compileC(o: CompileOptions): Promise<CompiledProgram> {
  const dir = mkdtempSync(path.join(tmpdir(), 'impulse-c-'));
  const cleanup = (): void => {
    if (!keep()) rmSync(dir, { recursive: true, force: true });
  };
  try {
    writeFiles(dir, o.files);
    const exe = path.join(dir, 'program');
    const compiler = o.compiler ?? 'gcc';
    const args = [
      ...(o.flags ?? [...STRICT_C99_FLAGS, '-O2']),
      ...(o.includeDirs ?? []).map((d) => `-I${path.join(dir, d)}`),
      '-o',
      exe,
      ...sourcesOf(o).map((f) => path.join(dir, f)),
      ...(o.libs ?? ['-lm']),
    ];
    const r = await spawnCollect(compiler, args, undefined, o.timeoutMs ?? 120_000, dir);
    if (r.code !== 0) throw new Error(`C compilation failed (exit ${r.code ?? r.signal}):\n${commandLine(compiler, args)}\n${r.stderr}`);
    return {
      dir,
      exe,
      async run(options: RunOptions = {}): Promise<RunResult> {
        const res = await spawnCollect(exe, options.args ?? [], options.stdin, options.timeoutMs ?? 120_000, dir);
        const code = res.code ?? -1;
        if (res.signal || (code !== 0 && !(options.allowExit ?? []).includes(code))) {
          throw new Error(`${commandLine(exe, options.args ?? [])} failed (${res.signal ? `signal ${res.signal}` : `exit ${code}`}):\n${res.stderr}`);
        }
        return { stdout: res.stdout, stderr: res.stderr, code };
      },
      cleanup,
    };
  } catch (e) {
    cleanup();
    throw e;
  }
}

/** One compiled object: its size and, when asked for, the global symbols it defines. */
export interface ObjectInfo {
  readonly bytes: number;
  /** Defined external symbols (`nm -g --defined-only`), sorted; empty unless `nm` was given. */
  readonly globals: readonly string[];
}

/**
 * Compiles each source to an object file only (`-c`): for warning checks and cross compilers.
 * With `nm` (e.g. 'nm', 'arm-none-eabi-nm') also lists the global symbols each object defines.
 * Rejects with the diagnostics of the first failure.
 */
export async function compileObjects(o: CompileOptions & { readonly nm?: string }): Promise<Map<string, ObjectInfo>> {
  const dir = mkdtempSync(path.join(tmpdir(), 'impulse-c-'));
  try {
    writeFiles(dir, o.files);
    const compiler = o.compiler ?? 'gcc';
    const out = new Map<string, ObjectInfo>();
    for (const src of sourcesOf(o)) {
      const obj = path.join(dir, `${src.replace(/[\\/]/g, '_')}.o`);
      const args = [...(o.flags ?? [...STRICT_C99_FLAGS, '-O2']), ...(o.includeDirs ?? []).map((d) => `-I${path.join(dir, d)}`), '-c', path.join(dir, src), '-o', obj];
      const r = await spawnCollect(compiler, args, undefined, o.timeoutMs ?? 120_000, dir);
      if (r.code !== 0) throw new Error(`C compilation of ${src} failed (exit ${r.code ?? r.signal}):\n${commandLine(compiler, args)}\n${r.stderr}`);
      let globals: string[] = [];
      if (o.nm) {
        const n = await spawnCollect(o.nm, ['-g', '--defined-only', obj], undefined, 60_000, dir);
        if (n.code !== 0) throw new Error(`${o.nm} ${obj} failed:\n${n.stderr}`);
        globals = n.stdout
          .toString('utf8')
          .split('\n')
          .map((l) => l.trim().split(/\s+/).at(-1) ?? '')
          .filter((name) => name !== '')
          .sort();
      }
      out.set(src, { bytes: statSync(obj).size, globals });
    }
    return out;
  } finally {
    if (!keep()) rmSync(dir, { recursive: true, force: true });
  }
}

/** Little-endian float32 bytes of the values (the layout a C `float` array has on the host). */
export function floatsToBuffer(values: ArrayLike<number>): Buffer {
  const f = Float32Array.from(values);
  return Buffer.from(f.buffer, f.byteOffset, f.byteLength);
}

/** The float32 values in `buf` (a copy, so alignment does not matter). */
export function bufferToFloats(buf: Uint8Array): Float32Array {
  const out = new Float32Array(Math.floor(buf.byteLength / 4));
  new Uint8Array(out.buffer).set(buf.subarray(0, out.length * 4));
  return out;
}
