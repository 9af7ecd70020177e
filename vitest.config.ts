import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'examples/**/.impulse/**'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Both cores: many test files wait on compilers, QEMU, ArmNN or a browser in other processes.
    maxWorkers: 2,
    env: { IMPULSE_DATASETS: process.env['IMPULSE_DATASETS'] ?? '../shared/datasets' },
  },
});
