import { cpSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { ImpulseError } from '../../core/errors/impulse-error.js';
import { didYouMean } from '../../core/util/suggest.js';
import { packageRoot } from '../../core/util/package-root.js';

const templatesDir = path.join(packageRoot(), 'pipelines/templates');

export async function initCommand(template: string, dir: string | undefined, opts: { force?: boolean }): Promise<void> {
  const names = readdirSync(templatesDir);
  if (!names.includes(template)) {
    throw new ImpulseError({ code: 'E_CLI_TEMPLATE', message: `no template '${template}'${didYouMean(template, names)}`, hint: `Templates: ${names.join(', ')}.` });
  }
  const dest = path.resolve(dir ?? template);
  if (existsSync(dest) && readdirSync(dest).length > 0 && !opts.force) {
    throw new ImpulseError({ code: 'E_CLI_NOT_EMPTY', message: `${dest} exists and is not empty`, hint: 'Choose another folder, or pass --force.' });
  }
  cpSync(path.join(templatesDir, template), dest, { recursive: true });
  const rel = path.relative(process.cwd(), dest) || '.';
  process.stdout.write(`${pc.green('✓')} created ${rel}/impulse.yaml from template '${template}'\nnext: impulse run ${rel}\n`);
}
