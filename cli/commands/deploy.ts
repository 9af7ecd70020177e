/**
 * `impulse deploy [impulse] --target cpp [--out DIR] [--param key=value …]`: runs a deployment
 * target on the trained impulse (as cached by `impulse run`) without adding it to the impulse
 * file, and writes its files to DIR (default build/<target> beside the impulse).
 */
import path from 'node:path';
import { Value } from '@sinclair/typebox/value';
import pc from 'picocolors';
import { ImpulseError } from '../../core/errors/impulse-error.js';
import { inferenceContext, loadTrained } from '../../core/run/inference.js';
import { targetImpulseOf, writeTree } from '../../core/run/stages/deploy.js';
import { displayPath } from '../../core/spec/load.js';
import { didYouMean } from '../../core/util/suggest.js';
import { loadForCli, printJson } from '../load.js';

/** `key=value` pairs; values read as JSON when they parse (numbers, booleans, arrays), else as strings. */
export function parseParams(pairs: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new ImpulseError({ code: 'E_CLI_BAD_OPTION', message: `--param '${p}' is not key=value`, hint: 'Write it as --param precision=float32.' });
    const raw = p.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    out[p.slice(0, eq)] = value;
  }
  return out;
}

export async function deployCommand(target: string, opts: { target: string; out?: string; param?: string[]; json?: boolean }): Promise<void> {
  const impulse = await loadForCli(target);
  const t = impulse.registry.target(opts.target);
  if (!t) {
    throw new ImpulseError({
      code: 'E_SPEC_UNKNOWN_TARGET',
      message: `unknown deployment target '${opts.target}'${didYouMean(opts.target, impulse.registry.targetTypes())}`,
      hint: `Targets: ${impulse.registry.targetTypes().join(', ')}.`,
    });
  }
  const params = Value.Default(t.params, parseParams(opts.param ?? [])) as Record<string, unknown>;
  const problems = [...Value.Errors(t.params, params)];
  if (problems.length > 0) {
    const first = problems[0]!;
    throw new ImpulseError({
      code: 'E_CLI_BAD_OPTION',
      message: `--param for target ${t.type}: ${first.path || '(params)'} ${first.message}`,
      hint: `Params of ${t.type}: ${Object.keys(t.params.properties).join(', ') || 'none'}.`,
    });
  }
  const x = await loadTrained(impulse);
  const learnIds = x.learn.map((l) => l.id);
  const targetImpulse = await targetImpulseOf(impulse, learnIds, x.known);
  const logs: string[] = [];
  const ctx = inferenceContext(impulse, `deploy:${t.type}`, (m) => logs.push(m));
  const tree = await t.generate(ctx, targetImpulse, params as never);
  const out = path.resolve(opts.out ?? path.join(impulse.dir, 'build', t.type));
  await writeTree(tree, out);
  if (opts.json) {
    printJson({ target: t.type, out, files: [...tree.keys()].sort(), log: logs });
    return;
  }
  for (const m of logs) process.stdout.write(`${t.type}: ${m}\n`);
  process.stdout.write(`${pc.green('✓')} ${t.type}: ${tree.size} files in ${displayPath(out)}\n`);
}
