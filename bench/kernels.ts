/**
 * The optimized int8 kernels (issue 13), measured on the emulated Cortex-M4F: per int8 fixture
 * model (../shared/fixtures/tflite, through `impulse compile`), the network built with the portable
 * and with the optimized kernels (arm-none-eabi-gcc -O2, firmware for QEMU mps2-an386,
 * core/device/qemu) and run over seeded random inputs:
 * - Invoke instructions (measured, exact: a TCG plugin counts every instruction between two
 *   markers around `model_invoke`, like TFLM's figures around Invoke()) and estimated cycles
 *   (core/device/qemu's Cortex-M4 cost table; no flash wait states), mean per inference;
 * - the network's flash (code + constants linked from the SDK's src/) and the arena;
 * - TensorFlow Lite Micro's figures for micro_speech and hello_world on the same emulated board
 *   (../shared/notes/tflm-baseline.md), and the MLPerf Tiny models' estimated latency at 120 MHz
 *   among the published results for an STM32L4R5 (Cortex-M4F, 120 MHz).
 *
 *   npx tsx bench/kernels.ts [--inputs N] [--per-op] [model …]
 * Prints tables, writes bench/results/kernels.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { elementCount } from '../core/model/ir.js';
import { describeOp } from '../generators/cpp/model/describe.js';
import type { KernelSet } from '../generators/cpp/model/emit-model.js';
import { runModelFirmware, type ModelFirmwareRun } from '../generators/cpp/model/optimized/testing/model-firmware.js';
import { generateSdk } from '../generators/cpp/sdk/generate.js';
import { sdkSpecOfModel } from '../generators/cpp/sdk/spec.js';
import { fixtureModel, randomInputs } from '../test/cpp/fixture-sdk.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MODELS = ['hello_world_int8', 'micro_speech_quantized', 'ad01_int8', 'kws_ref_model', 'pretrainedResnet_quant', 'vww_96_int8'] as const;

/** ../shared/notes/tflm-baseline.md: TFLM release build, same emulated board, Invoke() only. */
const TFLM: Record<string, { cmsisNn: { instructions: number; cycles: number; arena: number }; reference: { instructions: number; cycles: number; arena: number } }> = {
  hello_world_int8: { cmsisNn: { instructions: 3532, cycles: 5068, arena: 772 }, reference: { instructions: 5282, cycles: 7640, arena: 676 } },
  micro_speech_quantized: { cmsisNn: { instructions: 1_495_391, cycles: 2_042_768, arena: 6836 }, reference: { instructions: 9_311_092, cycles: 12_287_085, arena: 6788 } },
};

/** Published MLPerf Tiny latencies, NUCLEO-L4R5ZI (Cortex-M4F at 120 MHz), ms (v0.5 / v1.0 result tables, via the note). */
const MLPERF: Record<string, { task: string; rows: Record<string, number> }> = {
  kws_ref_model: { task: 'KWS', rows: { 'TFLM v2.3.1 reference kernels': 182, 'microTVM native': 144, 'microTVM + CMSIS-NN': 99.8, 'X-CUBE-AI 7.3': 75.1, 'Plumerai engine': 71.7 } },
  vww_96_int8: { task: 'VWW', rows: { 'TFLM v2.3.1 reference kernels': 601, 'microTVM native': 337, 'microTVM + CMSIS-NN': 301, 'X-CUBE-AI 7.3': 230, 'Plumerai engine': 209 } },
  pretrainedResnet_quant: { task: 'IC', rows: { 'TFLM v2.3.1 reference kernels': 704, 'microTVM native': 389, 'microTVM + CMSIS-NN': 390, 'X-CUBE-AI 7.3': 227, 'Plumerai engine': 173 } },
  ad01_int8: { task: 'AD', rows: { 'TFLM v2.3.1 reference kernels': 10.1, 'microTVM native': 11.7, 'microTVM + CMSIS-NN': 8.6, 'X-CUBE-AI 7.3': 7.6, 'Plumerai engine': 5.6 } },
};

interface Measured {
  readonly instructions: number;
  readonly cycles: number;
  readonly networkFlash: number;
  readonly arena: number;
  readonly weightsBytes: number;
  readonly optimizedOps: number;
  readonly perOp?: { op: number; what: string; instructions: number; cycles: number }[];
}

const args = process.argv.slice(2);
const inputsArg = args.indexOf('--inputs');
const INPUTS = inputsArg >= 0 ? Number(args[inputsArg + 1]) : 10;
const perOp = args.includes('--per-op');
const wanted = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--inputs');
const models = wanted.length > 0 ? MODELS.filter((m) => wanted.includes(m)) : MODELS;

async function measure(name: string, set: KernelSet): Promise<Measured> {
  const model = fixtureModel(name);
  const sdk = generateSdk(sdkSpecOfModel(model, 'model'), set);
  const xs = randomInputs('int8', elementCount(model.tensors[model.inputs[0]!]!.shape), INPUTS, 2024) as Int8Array[];
  const outSize = elementCount(model.tensors[model.outputs[0]!]!.shape);
  const all: ModelFirmwareRun = await runModelFirmware(sdk.files, xs, outSize, { perOp });
  return {
    instructions: all.invoke.instructions / all.invoke.entries,
    cycles: all.invoke.cycles / all.invoke.entries,
    networkFlash: all.network.text + all.network.rodata + all.network.data,
    arena: sdk.report.arenaBytes,
    weightsBytes: sdk.report.weightsBytes,
    optimizedOps: sdk.report.optimizedOps,
    ...(perOp
      ? {
          perOp: [...all.ops].map(([op, r]) => ({ op, what: describeOp(model, model.ops[op]!), instructions: r.instructions / r.entries, cycles: r.cycles / r.entries })),
        }
      : {}),
  };
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (cycles: number, mhz: number) => cycles / (mhz * 1000);
const msText = (v: number) => (v < 1 ? `${(v * 1000).toFixed(0)} µs` : `${v.toFixed(v < 10 ? 2 : 1)} ms`);

const results: Record<string, { portable: Measured; optimized: Measured }> = {};
for (const name of models) {
  const portable = await measure(name, 'portable');
  const optimized = await measure(name, 'optimized');
  results[name] = { portable, optimized };
  console.error(`measured ${name}`);
}

console.log(`\nInvoke on the emulated Cortex-M4F (QEMU mps2-an386, arm-none-eabi-gcc 12 -O2), mean over ${INPUTS} seeded random inputs; cycles estimated (no flash wait states)\n`);
console.log('| model | kernels | Invoke instructions | est. cycles | @80 MHz | @120 MHz | × fewer instructions | network flash | arena |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const [name, r] of Object.entries(results)) {
  for (const set of ['portable', 'optimized'] as const) {
    const m = r[set];
    const ratio = set === 'optimized' ? `${(r.portable.instructions / m.instructions).toFixed(1)}×` : '';
    console.log(`| ${name} | ${set}${set === 'optimized' ? ` (${m.optimizedOps} ops)` : ''} | ${fmt(m.instructions)} | ${fmt(m.cycles)} | ${msText(ms(m.cycles, 80))} | ${msText(ms(m.cycles, 120))} | ${ratio} | ${fmt(m.networkFlash)} B | ${fmt(m.arena)} B |`);
  }
}

const tflmRows = Object.entries(results).filter(([name]) => TFLM[name]);
if (tflmRows.length > 0) {
  console.log('\nLike for like: TensorFlow Lite Micro on the same emulated board (../shared/notes/tflm-baseline.md)\n');
  console.log('| model | stack | Invoke instructions | est. cycles | arena |');
  console.log('|---|---|---|---|---|');
  for (const [name, r] of tflmRows) {
    const t = TFLM[name]!;
    console.log(`| ${name} | TFLM, reference kernels | ${fmt(t.reference.instructions)} | ${fmt(t.reference.cycles)} | ${fmt(t.reference.arena)} B |`);
    console.log(`| ${name} | TFLM + CMSIS-NN | ${fmt(t.cmsisNn.instructions)} | ${fmt(t.cmsisNn.cycles)} | ${fmt(t.cmsisNn.arena)} B |`);
    console.log(`| ${name} | impulse-kit, portable | ${fmt(r.portable.instructions)} | ${fmt(r.portable.cycles)} | ${fmt(r.portable.arena)} B |`);
    console.log(
      `| ${name} | **impulse-kit, optimized** | **${fmt(r.optimized.instructions)}** (${((r.optimized.instructions / t.cmsisNn.instructions) * 100).toFixed(0)}% of CMSIS-NN's) | ${fmt(r.optimized.cycles)} | ${fmt(r.optimized.arena)} B |`,
    );
  }
}

const mlperfRows = Object.entries(results).filter(([name]) => MLPERF[name]);
if (mlperfRows.length > 0) {
  console.log('\nMLPerf Tiny models, latency per inference at 120 MHz: published (STM32L4R5, real board, flash wait states) and ours (estimated from measured instructions, no wait states)\n');
  const names = mlperfRows.map(([n]) => n);
  console.log(`| stack | ${names.map((n) => MLPERF[n]!.task).join(' | ')} |`);
  console.log(`|---|${names.map(() => '---').join('|')}|`);
  for (const row of Object.keys(MLPERF['kws_ref_model']!.rows)) console.log(`| ${row} | ${names.map((n) => `${MLPERF[n]!.rows[row]} ms`).join(' | ')} |`);
  console.log(`| impulse-kit portable (est.) | ${names.map((n) => msText(ms(results[n]!.portable.cycles, 120))).join(' | ')} |`);
  console.log(`| **impulse-kit optimized (est.)** | ${names.map((n) => `**${msText(ms(results[n]!.optimized.cycles, 120))}**`).join(' | ')} |`);
}

if (perOp) {
  for (const [name, r] of Object.entries(results)) {
    console.log(`\n${name}: per op (instructions, portable → optimized)`);
    r.optimized.perOp?.forEach((o, i) => {
      const p = r.portable.perOp?.[i];
      console.log(`  op ${String(o.op).padStart(2)} ${o.what.slice(0, 70).padEnd(70)} ${fmt(p?.instructions ?? 0).padStart(12)} → ${fmt(o.instructions).padStart(10)}`);
    });
  }
}

const out = path.join(root, 'bench', 'results', 'kernels.json');
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      board: 'QEMU mps2-an386 (Cortex-M4F), arm-none-eabi-gcc -O2, instructions measured by the TCG plugin, cycles estimated (core/device/qemu cycles.ts, no flash wait states)',
      inputs: `${INPUTS} seeded random int8 inputs per model (test/cpp/fixture-sdk.ts randomInputs, seed 2024), mean per inference`,
      results,
      tflm: TFLM,
      mlperf: MLPERF,
    },
    null,
    2,
  ) + '\n',
);
console.log(`\nwrote ${path.relative(root, out)}`);
