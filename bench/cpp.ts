/**
 * The generated C library, measured (issue 11's benchmark): per fixture model (../shared/fixtures/
 * tflite, through `impulse compile`) and per example impulse (trained for one epoch in a fresh
 * project: sizes and speed do not depend on the weights' values):
 * - arena bytes: ours (the planner: op order + packing + in-place reshapes, DSP phase included)
 *   beside the sum of all buffers and greedy-by-size on the graph's order (a typical runtime planner);
 * - weights bytes (flash), code bytes on the host (x86-64 gcc -O2 .text of the library, without the
 *   example program and libc);
 * - host µs per inference, DSP and network separately (gcc -O2, this machine, median of 5 timed
 *   batches of ≥ 0.2 s each).
 * Anchors: TensorFlow Lite Micro needs an arena of 6,836 B for micro_speech on a Cortex-M4 (and
 * 772 B for hello_world): ../shared/notes/tflm-baseline.md. Flash on the Cortex-M4 is bench/device's.
 *
 *   npx tsx bench/cpp.ts [--fixtures-only]
 * Prints a table, writes bench/results/cpp.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readTflite } from '../core/model/tflite/read.js';
import type { FileTree } from '../core/plugin/types.js';
import { generateSdk } from '../generators/cpp/sdk/generate.js';
import { sdkSpecOfModel } from '../generators/cpp/sdk/spec.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli/impulse.js');
const datasets = path.resolve(process.env['IMPULSE_DATASETS'] ?? path.join(root, '../shared/datasets'));
const fixtures = path.resolve(root, '../shared/fixtures/tflite');
const TFLM_ARENA: Record<string, number> = { micro_speech_quantized: 6836, hello_world_int8: 772 };

/** Times impulse_run_dsp and impulse_run_features on one window of zeros-plus-ramp. */
const TIMING_DRIVER = `#define _POSIX_C_SOURCE 199309L /* clock_gettime under -std=c99 */
#include <stdio.h>
#include <time.h>
#include "impulse.h"

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static float window[IMPULSE_INPUT_LENGTH];
static float features[IMPULSE_FEATURE_COUNT];

/* microseconds per call of one of the two halves, median of 5 batches */
static double time_half(int dsp) {
  double best[5];
  int b, i, j;
  for (b = 0; b < 5; b++) {
    long n = 0;
    double start = seconds(), now;
    impulse_result_t r;
    do {
      if (dsp) impulse_run_dsp(window, IMPULSE_INPUT_LENGTH, features, IMPULSE_FEATURE_COUNT);
      else impulse_run_features(features, IMPULSE_FEATURE_COUNT, &r);
      n++;
      now = seconds();
    } while (now - start < 0.2);
    best[b] = (now - start) / (double)n * 1e6;
  }
  for (i = 1; i < 5; i++) for (j = i; j > 0 && best[j] < best[j - 1]; j--) { double t = best[j]; best[j] = best[j - 1]; best[j - 1] = t; }
  return best[2];
}

int main(void) {
  int i;
  for (i = 0; i < IMPULSE_INPUT_LENGTH; i++) window[i] = (float)(i % 50) * 0.02f;
  impulse_init();
  if (impulse_run_dsp(window, IMPULSE_INPUT_LENGTH, features, IMPULSE_FEATURE_COUNT) != IMPULSE_OK) return 1;
  printf("%.3f %.3f\\n", IMPULSE_DSP_BLOCK_COUNT > 0 ? time_half(1) : 0.0, time_half(0));
  return 0;
}
`;

interface Row {
  name: string;
  kind: 'fixture' | 'example';
  arenaBytes: number;
  sumBytes: number;
  greedyBytes: number | null;
  tflmArenaBytes: number | null;
  weightsBytes: number;
  hostCodeBytes: number;
  dspMicros: number;
  networkMicros: number;
}

function writeTree(tree: FileTree, dir: string): void {
  for (const [rel, text] of tree) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
}

/** .text bytes of the library's objects (host gcc -O2), and the driver's timings. */
function measureHost(tree: FileTree): { codeBytes: number; dspMicros: number; networkMicros: number } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'impulse-bench-cpp-'));
  try {
    writeTree(tree, dir);
    const sources = [...tree.keys()].filter((f) => f.startsWith('src/') && f.endsWith('.c'));
    const flags = ['-std=c99', '-O2', '-ffp-contract=off', '-Isrc'];
    let codeBytes = 0;
    for (const src of sources) {
      const obj = `${src}.o`;
      execFileSync('gcc', [...flags, '-c', src, '-o', obj], { cwd: dir });
      const sections = execFileSync('size', ['-A', obj], { cwd: dir, encoding: 'utf8' });
      for (const line of sections.split('\n')) {
        const m = /^(\.text\S*)\s+(\d+)/.exec(line.trim());
        if (m) codeBytes += Number(m[2]);
      }
    }
    writeFileSync(path.join(dir, 'timing.c'), TIMING_DRIVER);
    execFileSync('gcc', [...flags, 'timing.c', ...sources, '-lm', '-o', 'timing'], { cwd: dir });
    const [dsp, nn] = execFileSync(path.join(dir, 'timing'), { cwd: dir, encoding: 'utf8' }).trim().split(' ').map(Number);
    return { codeBytes, dspMicros: dsp!, networkMicros: nn! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function benchFixture(file: string): Row {
  const name = file.replace(/\.tflite$/, '');
  const sdk = generateSdk(sdkSpecOfModel(readTflite(new Uint8Array(readFileSync(path.join(fixtures, file))), file), name));
  const host = measureHost(sdk.files);
  return {
    name,
    kind: 'fixture',
    arenaBytes: sdk.report.arenaBytes,
    sumBytes: sdk.report.sumBytes,
    greedyBytes: sdk.report.greedyBytes ?? null,
    tflmArenaBytes: TFLM_ARENA[name] ?? null,
    weightsBytes: sdk.report.weightsBytes,
    hostCodeBytes: host.codeBytes,
    dspMicros: host.dspMicros,
    networkMicros: host.networkMicros,
  };
}

function readTree(dir: string): FileTree {
  const tree: FileTree = new Map();
  const walk = (rel: string): void => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = path.posix.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else tree.set(r, readFileSync(path.join(dir, r)));
    }
  };
  walk('.');
  return new Map([...tree].map(([k, v]) => [k.replace(/^\.\//, ''), v]));
}

function benchExample(example: string): Row {
  const dir = mkdtempSync(path.join(os.tmpdir(), `impulse-bench-cpp-${example}-`));
  try {
    const yaml = readFileSync(path.join(root, 'examples', example, 'impulse.yaml'), 'utf8')
      .replace(/epochs: \d+/, 'epochs: 1')
      .replace(/deploy:\n(  - .*\n?)+/, 'deploy:\n  - { target: cpp }\n');
    writeFileSync(path.join(dir, 'impulse.yaml'), yaml);
    process.stderr.write(`examples/${example}: training one epoch and generating the library…\n`);
    const run = spawnSync(process.execPath, [cli, 'run', dir], { env: { ...process.env, IMPULSE_DATASETS: datasets, NO_COLOR: '1' }, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (run.status !== 0) throw new Error(`impulse run examples/${example} failed:\n${run.stderr}${run.stdout}`);
    const tree = readTree(path.join(dir, 'build/cpp'));
    const meta = String(tree.get('src/impulse_metadata.h'));
    const arena = Number(/IMPULSE_ARENA_BYTES (\d+)/.exec(meta)![1]);
    const readme = String(tree.get('README.md'));
    const sum = Number(/sum of all buffers: (\d+)/.exec(readme)?.[1] ?? NaN);
    const greedy = /greedy-by-size on the graph order: (\d+)/.exec(readme)?.[1];
    const weights = readFileSync(path.join(dir, 'build/cpp/src', readdirSync(path.join(dir, 'build/cpp/src')).find((f) => f.endsWith('_weights.c'))!), 'utf8');
    const weightsBytes = Number(/— (\d+) bytes of constant tensors/.exec(weights)![1]);
    const host = measureHost(tree);
    return { name: example, kind: 'example', arenaBytes: arena, sumBytes: sum, greedyBytes: greedy ? Number(greedy) : null, tflmArenaBytes: null, weightsBytes, hostCodeBytes: host.codeBytes, dspMicros: host.dspMicros, networkMicros: host.networkMicros };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: Row[] = readdirSync(fixtures).filter((f) => f.endsWith('.tflite')).sort().map(benchFixture);
if (!process.argv.includes('--fixtures-only')) for (const e of ['activity', 'spoken-digits', 'handwritten']) rows.push(benchExample(e));

const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
console.log('Generated C library: arena (static RAM), weights, host code, host speed (gcc -O2 on this machine)');
console.log(['model / example'.padEnd(30), 'arena'.padStart(9), 'sum'.padStart(10), 'greedy'.padStart(9), 'vs TFLM'.padStart(8), 'weights'.padStart(10), 'code'.padStart(9), 'DSP µs'.padStart(9), 'NN µs'.padStart(9)].join(' '));
for (const r of rows) {
  console.log(
    [
      r.name.padEnd(30),
      `${r.arenaBytes}`.padStart(9),
      `${r.sumBytes}`.padStart(10),
      `${r.greedyBytes ?? '-'}`.padStart(9),
      (r.tflmArenaBytes ? `${(r.arenaBytes / r.tflmArenaBytes).toFixed(2)}×` : '-').padStart(8),
      kb(r.weightsBytes).padStart(10),
      kb(r.hostCodeBytes).padStart(9),
      (r.kind === 'example' ? r.dspMicros.toFixed(1) : '-').padStart(9),
      r.networkMicros.toFixed(1).padStart(9),
    ].join(' '),
  );
}
console.log('arena: bytes of the one static buffer (examples: with the features and the DSP scratch); sum: every buffer separate; greedy: greedy-by-size on the graph order; vs TFLM: ours / TFLM\'s arena for the same model (../shared/notes/tflm-baseline.md)');
mkdirSync(path.join(root, 'bench/results'), { recursive: true });
writeFileSync(path.join(root, 'bench/results/cpp.json'), JSON.stringify({ benchmark: 'cpp', date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, rows }, null, 1) + '\n');
console.log('wrote bench/results/cpp.json');
