/** Runs an impulse with no built-in blocks (its plugins provide them); used by tests that kill it. */
import { Registry } from '../../core/plugin/registry.js';
import { loadImpulse } from '../../core/spec/load.js';
import { runImpulse } from '../../core/run/executor.js';

const impulse = await loadImpulse(process.argv[2]!, new Registry());
await runImpulse(impulse, { jobs: 2, onEvent: (e) => process.stdout.write(JSON.stringify(e) + '\n') });
