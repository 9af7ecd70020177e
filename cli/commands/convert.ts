import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { ImpulseError } from '../../core/errors/impulse-error.js';
import { displayPath, readRaw } from '../../core/spec/load.js';
import { loadForCli } from '../load.js';

export async function convertCommand(target: string, opts: { out?: string; force?: boolean; stdout?: boolean }): Promise<void> {
  // Only valid impulses are converted: every problem is reported first, as by `validate`.
  const impulse = await loadForCli(target);
  const fromTs = /\.[cm]?ts$/.test(impulse.file);
  const { raw } = await readRaw(impulse.file);
  let text: string;
  if (fromTs) {
    const { specToYaml } = await import('../../pipelines/convert/ts-to-yaml.js');
    text = specToYaml(raw as Record<string, unknown>, './node_modules/impulse-kit/schema/impulse.schema.json');
  } else {
    const { yamlToTs } = await import('../../pipelines/convert/yaml-to-ts.js');
    text = await yamlToTs(raw);
  }
  if (opts.stdout) {
    process.stdout.write(text);
    return;
  }
  const out = path.resolve(opts.out ?? path.join(impulse.dir, fromTs ? 'impulse.yaml' : 'impulse.ts'));
  if (existsSync(out) && !opts.force) {
    throw new ImpulseError({ code: 'E_CLI_EXISTS', message: `${displayPath(out)} exists`, hint: 'Pass --force to overwrite it, --out to write elsewhere, or --stdout to print.' });
  }
  writeFileSync(out, text);
  process.stdout.write(`${pc.green('✓')} wrote ${displayPath(out)}\n`);
}
