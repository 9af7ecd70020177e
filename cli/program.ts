/**
 * The `impulse` command line. Thin: parses arguments and calls core. Command modules are imported
 * lazily so `impulse status` does not load what `impulse run` needs (and nothing loads TF.js
 * unless a stage trains).
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { handleFailure } from './handle-failure.js';

const program = new Command('impulse')
  .description('impulse-kit: embedded ML pipelines as code (impulse.yaml / impulse.ts → cached DAG → models → deployables)')
  .version('0.1.0')
  .option('--verbose', 'show stack traces and debug output')
  .showHelpAfterError();

const jsonOpt = new Option('--json', 'machine-readable output');

program
  .command('init')
  .description('create an impulse from a template')
  .argument('[template]', 'template name (activity, spoken-digits, handwritten)', 'activity')
  .argument('[dir]', 'folder to create (default: the template name)')
  .option('--force', 'write into a folder that is not empty')
  .action(async (template: string, dir: string | undefined, opts: { force?: boolean }) => (await import('./commands/init.js')).initCommand(template, dir, opts));

program
  .command('validate')
  .description('check an impulse file and report every problem at once')
  .argument('[impulse]', 'impulse file or folder', '.')
  .addOption(jsonOpt)
  .action(async (impulse: string, opts: { json?: boolean }) => (await import('./commands/validate.js')).validateCommand(impulse, opts));

program
  .command('graph')
  .description('print the stage graph')
  .argument('[impulse]', 'impulse file or folder', '.')
  .addOption(new Option('--format <format>', 'output format').choices(['text', 'mermaid', 'dot']).default('text'))
  .addOption(jsonOpt)
  .action(async (impulse: string, opts: { format: 'text' | 'mermaid' | 'dot'; json?: boolean }) => (await import('./commands/graph.js')).graphCommand(impulse, opts));

program
  .command('run')
  .description('run the impulse: only stale stages run, in parallel')
  .argument('[impulse]', 'impulse file or folder', '.')
  .option('-j, --jobs <n>', 'stages and worker threads at once (default: cores)', (v) => parsePositiveInt(v, '--jobs'))
  .option('--force', 'recompute even cached stages')
  .option('--only <stage...>', 'run only these stages (and what they need)')
  .option('--dry-run', 'show what would run and the files deploy targets would write; write nothing')
  .addOption(jsonOpt)
  .action(async (impulse: string, opts) => (await import('./commands/run.js')).runCommand(impulse, opts));

program
  .command('status')
  .description('per stage: cached, or stale and why')
  .argument('[impulse]', 'impulse file or folder', '.')
  .addOption(jsonOpt)
  .action(async (impulse: string, opts: { json?: boolean }) => (await import('./commands/status.js')).statusCommand(impulse, opts));

program
  .command('explain')
  .description("why a stage would rerun: its key parts against the last run's")
  .argument('<stage>', 'stage id, e.g. dsp:mfcc')
  .argument('[impulse]', 'impulse file or folder', '.')
  .addOption(jsonOpt)
  .action(async (stage: string, impulse: string, opts: { json?: boolean }) => (await import('./commands/explain.js')).explainCommand(stage, impulse, opts));

program
  .command('deploy')
  .description('generate a deployment target (cpp, arduino, tflite, tfjs …) from the trained impulse, without adding it to the impulse file')
  .argument('[impulse]', 'impulse file or folder', '.')
  .requiredOption('--target <type>', 'deployment target, e.g. cpp')
  .option('--out <dir>', 'output folder (default: build/<target> beside the impulse)')
  .option('--param <key=value>', "a target param, e.g. precision=float32 (repeatable)", (v: string, acc: string[]) => [...acc, v], [] as string[])
  .addOption(jsonOpt)
  .action(async (impulse: string, opts: { target: string; out?: string; param?: string[]; json?: boolean }) => (await import('./commands/deploy.js')).deployCommand(impulse, opts));

program
  .command('compile')
  .description('a C library from a .tflite model alone (no impulse): the same generator as the cpp target')
  .argument('<model>', 'a .tflite file (int8 or float32)')
  .option('--out <dir>', 'output folder (default: build/<name>)')
  .option('--name <name>', 'library name (default: the file name)')
  .option('--rounding <mode>', 'int8 requantization rounding: double (TensorFlow Lite Micro, default for imported models) or single (the TFLite runtime)')
  .option('--kernels <set>', 'optimized (Armv7E-M SIMD where an op allows it, the default) or portable')
  .addOption(jsonOpt)
  .action(async (model: string, opts: { out?: string; name?: string; rounding?: string; kernels?: string; json?: boolean }) => (await import('./commands/compile.js')).compileCommand(model, opts));

program
  .command('profile')
  .description('latency, RAM and flash per block on a device: estimated, or measured on an emulated Cortex-M4F (--measure)')
  .argument('[impulse]', 'impulse file or folder, or a .tflite model', '.')
  .option('--device <name>', 'device profile (default: the impulse\'s device:, else cortex-m4f-80mhz)')
  .option('--measure', 'build the C library for the Cortex-M4F and measure it under QEMU over test windows')
  .option('--windows <n>', 'test windows (or random inputs, for a .tflite) to measure on, spread over the test split (default 50; 10 for a .tflite)', (v) => parsePositiveInt(v, '--windows'))
  .addOption(jsonOpt)
  .action(async (impulse: string, opts: { device?: string; measure?: boolean; windows?: number; json?: boolean }) => (await import('./commands/profile.js')).profileCommand(impulse, opts));

program
  .command('test')
  .description('metrics of the trained impulse on its test split, or on a folder of labelled samples')
  .argument('[impulse]', 'impulse file or folder', '.')
  .option('--data <dir>', 'a folder of labelled samples (<label>/<file> or <label>.<id>.<ext>); every sample is a test sample')
  .addOption(jsonOpt)
  .option('--precision <precision>', 'float32 (the trained model), int8 (the quantized model on the int8 reference interpreter) or both', 'both')
  .action(async (impulse: string, opts: { data?: string; json?: boolean; precision?: string }) => (await import('./commands/test.js')).testCommand(impulse, opts));

program
  .command('report')
  .description('the impulse report: one self-contained HTML page (build/report/index.html) to review before shipping a model')
  .argument('[impulse]', 'impulse file or folder', '.')
  .option('--open', 'open the page in a browser ($BROWSER, else the desktop opener)')
  .option('--compare <git-ref>', "a second column: the impulse as it was at another commit (its impulse.lock's cache entries)")
  .option('-j, --jobs <n>', 'stages and worker threads at once (default: cores)', (v) => parsePositiveInt(v, '--jobs'))
  .addOption(jsonOpt)
  .action(async (impulse: string, opts: { open?: boolean; compare?: string; jobs?: number; json?: boolean }) => (await import('./commands/report.js')).reportCommand(impulse, opts));

program
  .command('classify')
  .description('score every window of one sample file with the trained impulse')
  .argument('<impulse>', 'impulse file or folder')
  .argument('<sample-file>', 'a sample file (e.g. .wav, .csv, .png)')
  .addOption(jsonOpt)
  .action(async (impulse: string, sample: string, opts: { json?: boolean }) => (await import('./commands/classify.js')).classifyCommand(impulse, sample, opts));

program
  .command('features')
  .description("the windows of one sample file and each DSP block's features for them")
  .argument('<impulse>', 'impulse file or folder')
  .argument('<sample-file>', 'a sample file (e.g. .wav, .csv, .png)')
  .option('--block <id>', 'only this DSP block')
  .addOption(jsonOpt)
  .action(async (impulse: string, sample: string, opts: { block?: string; json?: boolean }) => (await import('./commands/features.js')).featuresCommand(impulse, sample, opts));

program
  .command('convert')
  .description('impulse.yaml → impulse.ts, or impulse.ts → impulse.yaml (the same impulse in the other form)')
  .argument('[impulse]', 'impulse file or folder', '.')
  .option('-o, --out <file>', 'where to write (default: beside the input)')
  .option('--force', 'overwrite an existing file')
  .option('--stdout', 'print instead of writing')
  .action(async (impulse: string, opts: { out?: string; force?: boolean; stdout?: boolean }) => (await import('./commands/convert.js')).convertCommand(impulse, opts));

program
  .command('doctor')
  .description('check the environment: Node, TF.js backend, optional system tools')
  .addOption(jsonOpt)
  .action(async (opts: { json?: boolean }) => (await import('./commands/doctor.js')).doctorCommand(opts));

function parsePositiveInt(v: string, name: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} takes a whole number ≥ 1, got '${v}'`);
  return n;
}

export function main(): Promise<void> {
  return program.parseAsync(process.argv).then(() => undefined, (e: unknown) => handleFailure(e, program.opts<{ verbose?: boolean }>().verbose ?? false));
}
