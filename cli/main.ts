#!/usr/bin/env node
/**
 * Entry point of the `impulse` command. An unchanged `impulse run` is answered before the
 * command-line parser, the spec machinery or any block is loaded (see ./fast-noop.ts).
 */
import { tryNoopRun } from './fast-noop.js';

// `impulse status | head` closing the pipe early is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const args = process.argv.slice(2);
const isPlainRun = args[0] === 'run' && args.length <= 2 && !args.slice(1).some((a) => a.startsWith('-'));
if (!(isPlainRun && tryNoopRun(args[1] ?? '.'))) {
  const { main } = await import('./program.js');
  await main();
}
