/**
 * Builds the instruction-counting QEMU plugin (plugin/*.c) with the host C compiler, once per
 * version of its sources: the shared library is cached under a folder named by the hash of those
 * sources, so later runs (and other processes) reuse it.
 *
 * Cache folder: $IMPULSE_KIT_CACHE, else $XDG_CACHE_HOME/impulse-kit, else ~/.cache/impulse-kit;
 * when that cannot be created, the system temp folder.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TOOLS, pluginFiles } from './board-files.js';
import { clipToolOutput, pluginProblem } from './errors.js';
import { runProcess } from './process.js';

const PLUGIN_FLAGS = ['-O2', '-std=c11', '-Wall', '-Wextra', '-Werror=implicit-function-declaration', '-Werror=int-conversion', '-shared', '-fPIC', '-fvisibility=hidden'];

function cacheRoots(): string[] {
  const env = process.env;
  const preferred = env['IMPULSE_KIT_CACHE'] ?? path.join(env['XDG_CACHE_HOME'] ?? path.join(os.homedir(), '.cache'), 'impulse-kit');
  return [preferred, path.join(os.tmpdir(), `impulse-kit-cache-${os.userInfo().uid}`)];
}

async function pluginHash(): Promise<string> {
  const { sources, headers } = pluginFiles();
  const h = createHash('sha256');
  for (const f of [...sources, ...headers]) {
    h.update(path.basename(f)).update('\0').update(await readFile(f)).update('\0');
  }
  h.update(PLUGIN_FLAGS.join(' ')).update(process.platform).update(process.arch);
  return h.digest('hex').slice(0, 16);
}

async function compilePlugin(target: string): Promise<void> {
  const { sources } = pluginFiles();
  // Build beside the target and rename: concurrent builders never see a half-written library.
  const temp = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const r = await runProcess(TOOLS.hostCc, [...PLUGIN_FLAGS, '-o', temp, ...sources], { purpose: 'build the QEMU instruction-counting plugin' });
  if (r.code !== 0) {
    await rm(temp, { force: true });
    throw pluginProblem(
      `The QEMU plugin does not compile with ${TOOLS.hostCc}:\n${clipToolOutput(r.stderr.toString('utf8'))}`,
      'This is a bug in impulse-kit or an unusual host compiler; set CC to another C compiler (gcc or clang) to try it.',
    );
  }
  await rename(temp, target);
}

let built: Promise<string> | undefined;

/** Path of the plugin's shared library, building it the first time. */
export function qemuPluginPath(): Promise<string> {
  built ??= (async () => {
    const hash = await pluginHash();
    let lastError: unknown;
    for (const root of cacheRoots()) {
      const dir = path.join(root, `qemu-plugin-${hash}`);
      const target = path.join(dir, 'insn-count.so');
      if (existsSync(target)) return target;
      try {
        await mkdir(dir, { recursive: true });
      } catch (e) {
        lastError = e;
        continue;
      }
      await compilePlugin(target);
      return target;
    }
    throw pluginProblem(`No folder to build the QEMU plugin in (${(lastError as Error).message}).`, 'Set IMPULSE_KIT_CACHE to a writable folder.');
  })();
  built.catch(() => {
    built = undefined; // a failed build is retried next time (e.g. after installing gcc)
  });
  return built;
}
