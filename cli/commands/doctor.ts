import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { printJson } from '../load.js';

const TOOLS: readonly { name: string; args: string[]; why: string }[] = [
  { name: 'gcc', args: ['--version'], why: 'host build of the generated C library' },
  { name: 'arm-none-eabi-gcc', args: ['--version'], why: 'Cortex-M cross-compilation (--measure)' },
  { name: 'qemu-system-arm', args: ['--version'], why: 'running Cortex-M builds under emulation (--measure)' },
];

function version(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0];
  } catch {
    return undefined;
  }
}

/** Where each known public dataset would be found now (first match), without downloading anything. */
async function datasetLocations(): Promise<{ name: string; at: string | null }[]> {
  const { knownDatasetNames } = await import('../../core/data/datasets/registry.js');
  const { datasetCacheDir, datasetSearchDirs } = await import('../../core/data/datasets/resolve.js');
  return knownDatasetNames().map((name) => {
    const candidates = [...datasetSearchDirs().map((d) => path.join(d, name)), datasetCacheDir(name)];
    return { name, at: candidates.find((c) => existsSync(c) && readdirSync(c).length > 0) ?? null };
  });
}

export async function doctorCommand(opts: { json?: boolean }): Promise<void> {
  const { loadTf } = await import('../../blocks/learn/common/tf/load.js');
  const { backend, tf } = await loadTf();
  const tools = TOOLS.map((t) => ({ ...t, version: version(t.name, t.args) }));
  const report = {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    tfjs: { version: tf.version_core, backend, native: backend === 'tensorflow' },
    tools: tools.map((t) => ({ name: t.name, found: t.version !== undefined, version: t.version ?? null, usedFor: t.why })),
    datasets: await datasetLocations(),
  };
  if (opts.json) {
    printJson(report);
    return;
  }
  const ok = (b: boolean) => (b ? pc.green('✓') : pc.yellow('–'));
  process.stdout.write(`${ok(true)} Node ${report.node} (${report.platform})\n`);
  process.stdout.write(
    `${ok(true)} TF.js ${report.tfjs.version}, backend ${pc.bold(backend)}${backend === 'tensorflow' ? '' : pc.dim(' (install @tensorflow/tfjs-node for native speed where its binaries can be downloaded)')}\n`,
  );
  for (const t of tools) process.stdout.write(`${ok(t.version !== undefined)} ${t.name}: ${t.version ?? pc.dim('not found')} ${pc.dim(`— ${t.why}`)}\n`);
  for (const d of report.datasets) {
    process.stdout.write(`${ok(d.at !== null)} dataset:${d.name}: ${d.at ?? pc.dim('not local (downloaded on first use)')}\n`);
  }
}
