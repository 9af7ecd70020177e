import { loadImpulse, type LoadedImpulse } from '../core/spec/load.js';
import { builtinRegistry } from './builtins.js';

export function loadForCli(target: string): Promise<LoadedImpulse> {
  return loadImpulse(target, builtinRegistry());
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
