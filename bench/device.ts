/**
 * Device numbers, measured and estimated (issue 12's benchmark). Per example impulse (trained
 * briefly in a fresh project: latency, RAM and flash depend on the shapes, not on the weights'
 * values), per fixture model (../shared/fixtures/tflite) and per calibration case (each DSP block
 * type in a few configurations, the anomaly blocks): DSP ms, network ms, RAM and flash on a
 * Cortex-M4F at 80 and 120 MHz —
 * - measured: the generated C library built with arm-none-eabi-gcc -O2 and run under QEMU
 *   (mps2-an386), instructions counted exactly, cycles from the Cortex-M4 cost table (zero flash
 *   wait states), flash and RAM from the linked ELF and stack painting; outputs checked (int8
 *   identical to the TS interpreter, floats identical to the host build);
 * - estimated: the cost tables (core/device/estimate), without compiling.
 * Beside them, the anchors: a hosted studio's published figures and TensorFlow Lite Micro measured
 * the same way on the same emulated board (../shared/notes/tflm-baseline.md).
 *
 *   npx tsx bench/device.ts                 # needs dist/ (npm run build) to train the examples
 *   npx tsx bench/device.ts --calibrate     # also refits the cost tables on these measurements and
 *                                           # writes core/device/estimate/calibration.gen.ts
 *   npx tsx bench/device.ts --no-examples   # fixtures and calibration cases only
 *
 * Prints tables, writes bench/results/device.json. The estimate's error is reported in-sample
 * (the tables as fitted on these same measurements) and held out (each case estimated with tables
 * fitted without it).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinRegistry } from '../cli/builtins.js';
import { anomalyCases, dspCases, fixtureCase, FIXTURE_MODELS, opCases, type CalibrationCase } from '../core/device/calibrate/cases.js';
import { deriveCalibration } from '../core/device/calibrate/derive.js';
import { renderCalibration } from '../core/device/calibrate/render.js';
import { collectSamples, emptySamples, withoutCase } from '../core/device/calibrate/samples.js';
import { M4F_TABLES, type Calibration } from '../core/device/estimate/cost-model.js';
import { dspCostKey } from '../core/device/estimate/blocks.js';
import { estimateProfile } from '../core/device/estimate/estimate.js';
import { formatBytes, formatCount, formatMs } from '../core/util/format-numbers.js';
import { measureDetailed, type DetailedMeasurement } from '../core/device/profile/measure.js';
import type { ProfileReport } from '../core/device/profile/report.js';
import { builtinProfile } from '../core/device/profiles.js';
import { impulseMeasureCase } from '../core/run/stages/profile.js';
import { datasetsDir } from '../test/support/shared.js';
import { EXAMPLE_TRAINING, trainExample } from '../test/device/trained-examples.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixtures = path.resolve(root, '../shared/fixtures/tflite');
const args = process.argv.slice(2);
const calibrate = args.includes('--calibrate');
const withExamples = !args.includes('--no-examples');
const WINDOWS = { example: 50, fixture: 5, dsp: 5, anomaly: 5, op: 3 } as const;
const M4F_80 = builtinProfile('cortex-m4f-80mhz')!;
const M4F_120 = builtinProfile('cortex-m4f-120mhz')!;

/** Anchors for the reader (published or measured elsewhere; not by this bench). */
const ANCHORS = {
  hostedStudio: [
    { impulse: 'continuous motion (spectral analysis + 33→20→10→4 dense), Cortex-M4F 80 MHz', dspMs: 15, nnMs: 1, ramKb: 6.4, flashKb: 42.5 },
    { impulse: 'keyword spotting (MFCC 13 on 1 s at 16 kHz + two conv layers), Cortex-M4F 80 MHz', dspMs: 168, nnMs: 57, ramKb: 19.6, flashKb: 47.3 },
  ],
  tflm: {
    source: '../shared/notes/tflm-baseline.md: TFLM 90b983c2 on the same emulated mps2-an386, same cost table, Invoke() only',
    hello_world_int8: { cmsisNn: { text: 67004, arena: 772, instructions: 3532, cycles: 5068 }, reference: { text: 55484, arena: 676, instructions: 5282, cycles: 7640 } },
    micro_speech_quantized: { cmsisNn: { text: 108460, arena: 6836, instructions: 1495391, cycles: 2042768 }, reference: { text: 84268, arena: 6788, instructions: 9311092, cycles: 12287085 } },
  },
  mlperfTinyAt120MHz: { source: 'MLPerf Tiny v0.5/v1.0 closed division, NUCLEO-L4R5ZI (real board, flash wait states)', kws_ref_model: { tflmReference: 182, fastest: 71.7 }, vww_96_int8: { tflmReference: 601, fastest: 209 }, pretrainedResnet_quant: { tflmReference: 704, fastest: 173 }, ad01_int8: { tflmReference: 10.1, fastest: 5.6 } },
};

interface Measured {
  readonly c: CalibrationCase;
  readonly m?: DetailedMeasurement;
  readonly error?: string;
}

async function gatherCases(work: string): Promise<CalibrationCase[]> {
  const registry = builtinRegistry();
  const cases: CalibrationCase[] = [];
  if (withExamples) {
    for (const { name, epochs } of EXAMPLE_TRAINING) {
      const t0 = Date.now();
      const ex = await trainExample(name, epochs);
      const { subject, data } = await impulseMeasureCase(ex.impulse, ex.known, WINDOWS.example);
      console.log(`trained ${name} (${epochs} epoch${epochs === 1 ? '' : 's'}) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
      cases.push({ name: `example ${name}`, group: 'example', subject, data });
      rmSync(ex.dir, { recursive: true, force: true });
    }
  }
  for (const name of FIXTURE_MODELS) cases.push(fixtureCase(fixtures, name, WINDOWS.fixture));
  cases.push(...opCases(WINDOWS.op));
  cases.push(...(await dspCases(registry, WINDOWS.dsp, datasetsDir)));
  cases.push(...(await anomalyCases(registry, WINDOWS.anomaly, path.join(work, 'anomaly-models'))));
  return cases;
}

const sumBlocks = (r: ProfileReport, kind: 'dsp' | 'network' | 'anomaly', which: 'estimated' | 'measured'): number | undefined => {
  const bs = r.blocks.filter((b) => b.kind === kind);
  if (bs.length === 0 || bs.some((b) => b[which] === undefined)) return undefined;
  return bs.reduce((n, b) => n + b[which]!.cycles, 0);
};

const rel = (est: number, meas: number) => (est - meas) / meas;
const pct = (x: number | undefined) => (x === undefined ? '–' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(0)}%`);
const ms = (cycles: number | undefined, hz: number) => (cycles === undefined ? '–' : formatMs((cycles / hz) * 1000));

function blockKey(c: CalibrationCase, b: ProfileReport['blocks'][number]): string {
  if (b.kind === 'network') return `network (${c.group === 'example' ? 'examples' : c.group === 'fixture' ? 'fixture models' : 'one-op models'})`;
  if (b.kind === 'anomaly') return b.type;
  const d = c.subject.dsp.find((x) => x.id === b.id);
  return `dsp ${d ? dspCostKey(b.type, d.params) : b.type}`;
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'impulse-bench-device-'));
  try {
    const cases = await gatherCases(work);
    const measured: Measured[] = [];
    const samples = emptySamples();
    for (const [i, c] of cases.entries()) {
      const t0 = Date.now();
      try {
        const m = await measureDetailed(c.subject, M4F_80, c.data, { workDir: path.join(work, `case-${i}`), opRegions: 'op' });
        collectSamples(samples, c.name, c.subject, m.firmware, m.run, m.footprint);
        measured.push({ c, m });
        console.log(`measured ${c.name}: ${((Date.now() - t0) / 1000).toFixed(1)} s; ${m.report.measurement!.outputCheck}`);
      } catch (e) {
        measured.push({ c, error: (e as Error).message });
        console.log(`FAILED ${c.name}: ${(e as Error).message}`);
      }
      rmSync(path.join(work, `case-${i}`), { recursive: true, force: true });
    }

    const source = `fitted by bench/device.ts on ${measured.filter((x) => x.m).length} measured cases (the three examples trained briefly on their test windows, the seven fixture models and ${cases.filter((c) => c.group === 'op').length} one-op models on seeded random inputs, ${cases.filter((c) => c.group === 'dsp').length} DSP configurations (audio on FSDD recordings, the others on synthetic windows) and ${cases.filter((c) => c.group === 'anomaly').length} anomaly configurations), QEMU mps2-an386, arm-none-eabi-gcc 12 -O2`;
    const tables: Calibration = calibrate ? deriveCalibration(samples, source, M4F_TABLES) : M4F_TABLES;
    if (calibrate) {
      writeFileSync(path.join(root, 'core/device/estimate/calibration.gen.ts'), renderCalibration(tables));
      console.log('wrote core/device/estimate/calibration.gen.ts');
    }

    const rows: Record<string, unknown>[] = [];
    const errors = new Map<string, { inSample: number[]; heldOut: number[] }>();
    const addError = (key: string, inSample: number, heldOut: number | undefined) => {
      const e = errors.get(key) ?? { inSample: [], heldOut: [] };
      e.inSample.push(inSample);
      if (heldOut !== undefined) e.heldOut.push(heldOut);
      errors.set(key, e);
    };
    for (const { c, m, error } of measured) {
      if (!m) {
        rows.push({ case: c.name, group: c.group, error });
        continue;
      }
      const est80 = estimateProfile(c.subject, M4F_80, tables);
      const heldOutTables = deriveCalibration(withoutCase(samples, c.name), source, M4F_TABLES);
      const held = estimateProfile(c.subject, M4F_80, heldOutTables);
      const meas = m.report;
      for (const b of meas.blocks) {
        const e = est80.blocks.find((x) => x.id === b.id)?.estimated;
        const h = held.blocks.find((x) => x.id === b.id)?.estimated;
        if (b.kind === 'network' && (c.group === 'dsp' || c.group === 'anomaly')) continue; // the one-layer probe behind a DSP case
        if (b.measured && e) addError(blockKey(c, b), rel(e.cycles, b.measured.cycles), h ? rel(h.cycles, b.measured.cycles) : undefined);
      }
      if (meas.total.measured && est80.total.estimated) addError('whole impulse_run', rel(est80.total.estimated.cycles, meas.total.measured.cycles), held.total.estimated ? rel(held.total.estimated.cycles, meas.total.measured.cycles) : undefined);
      rows.push({
        case: c.name,
        group: c.group,
        windows: meas.measurement!.windows,
        inputs: meas.measurement!.source,
        outputCheck: meas.measurement!.outputCheck,
        dspCycles: { estimated: sumBlocks(est80, 'dsp', 'estimated'), measured: sumBlocks(meas, 'dsp', 'measured') },
        networkCycles: { estimated: sumBlocks(est80, 'network', 'estimated'), measured: sumBlocks(meas, 'network', 'measured') },
        anomalyCycles: { estimated: sumBlocks(est80, 'anomaly', 'estimated'), measured: sumBlocks(meas, 'anomaly', 'measured') },
        totalCycles: { estimated: est80.total.estimated?.cycles, measured: meas.total.measured?.cycles, instructions: meas.total.measured?.instructions },
        ms80: { estimated: est80.total.estimated?.ms, measured: meas.total.measured ? (meas.total.measured.cycles / M4F_80.clockHz) * 1000 : undefined, estimatedWithWaitStates: est80.total.estimated?.msWithWaitStates },
        ms120: { estimated: estimateProfile(c.subject, M4F_120, tables).total.estimated?.ms, measured: meas.total.measured ? (meas.total.measured.cycles / M4F_120.clockHz) * 1000 : undefined },
        ram: { estimated: est80.ram.estimated, measured: meas.ram.measured, inputBuffer: meas.inputBufferBytes },
        flash: { estimated: est80.flash.estimated, measured: meas.flash.measured },
        blocks: meas.blocks.map((b) => {
          const e = est80.blocks.find((x) => x.id === b.id);
          const ops = e?.ops?.map((o) => ({ ...o, measured: b.ops?.find((x) => x.kind === o.kind)?.measured }));
          return { id: b.id, kind: b.kind, type: b.type, estimatedCycles: e?.estimated?.cycles, measured: b.measured, ...(ops ? { ops } : {}) };
        }),
      });
    }

    // The table
    const head = ['case', 'DSP ms @80 est/meas', 'NN ms @80 est/meas', 'total ms @120 est/meas', 'RAM est/meas', 'flash est/meas'];
    const lines: string[][] = [head];
    for (const r of rows) {
      if (r['error']) {
        lines.push([String(r['case']), `failed: ${String(r['error']).slice(0, 60)}`, '', '', '', '']);
        continue;
      }
      const d = r['dspCycles'] as { estimated?: number; measured?: number };
      const n = r['networkCycles'] as { estimated?: number; measured?: number };
      const t = r['ms120'] as { estimated?: number; measured?: number };
      const ram = r['ram'] as { estimated?: { total: number }; measured?: { total: number } };
      const fl = r['flash'] as { estimated?: { total: number }; measured?: { total: number } };
      lines.push([
        String(r['case']),
        d.measured === undefined ? '–' : `${ms(d.estimated, M4F_80.clockHz)} / ${ms(d.measured, M4F_80.clockHz)}`,
        n.measured === undefined ? '–' : `${ms(n.estimated, M4F_80.clockHz)} / ${ms(n.measured, M4F_80.clockHz)}`,
        `${t.estimated === undefined ? '–' : formatMs(t.estimated)} / ${t.measured === undefined ? '–' : formatMs(t.measured)}`,
        `${ram.estimated ? formatBytes(ram.estimated.total) : '–'} / ${ram.measured ? formatBytes(ram.measured.total) : '–'}`,
        `${fl.estimated ? formatBytes(fl.estimated.total) : '–'} / ${fl.measured ? formatBytes(fl.measured.total) : '–'}`,
      ]);
    }
    const widths = head.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
    console.log('\nCortex-M4F (QEMU mps2-an386), zero flash wait states; est = estimated from the cost tables, meas = measured');
    for (const l of lines) console.log(l.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));

    const errorRows = [...errors].map(([kind, e]) => {
      const stats = (xs: number[]) => (xs.length === 0 ? undefined : { n: xs.length, meanAbs: xs.reduce((a, x) => a + Math.abs(x), 0) / xs.length, maxAbs: Math.max(...xs.map(Math.abs)), worst: xs.reduce((a, x) => (Math.abs(x) > Math.abs(a) ? x : a), 0) });
      return { kind, inSample: stats(e.inSample), heldOut: stats(e.heldOut) };
    });
    console.log('\nEstimate vs measured cycles per block kind (in-sample: tables fitted on all cases; held out: each case estimated with tables fitted without it)');
    for (const r of errorRows) console.log(`  ${r.kind.padEnd(34)} n=${String(r.inSample?.n ?? 0).padStart(2)}  in-sample mean ${pct(r.inSample?.meanAbs)} worst ${pct(r.inSample?.worst)}  held out mean ${pct(r.heldOut?.meanAbs)} worst ${pct(r.heldOut?.worst)}`);

    // Markdown, for bench/README.md and core/device/README.md
    const md: string[] = ['', '| case | block | instructions (meas.) | cycles meas. | cycles est. | ms @80 meas. / est. | ms @120 meas. / est. |', '|---|---|---|---|---|---|---|'];
    for (const r of rows) {
      if (r['error'] || (r['group'] !== 'example' && r['group'] !== 'fixture')) continue;
      for (const b of r['blocks'] as { id: string; kind: string; type: string; estimatedCycles?: number; measured?: { instructions: number; cycles: number } }[]) {
        if (!b.measured) continue;
        const e = b.estimatedCycles;
        md.push(`| ${String(r['case']).replace(/^example /, '')} | ${b.id} (${b.kind === 'dsp' ? b.type : b.kind}) | ${formatCount(b.measured.instructions)} | ${formatCount(b.measured.cycles)} | ${e === undefined ? '–' : formatCount(e)} | ${ms(b.measured.cycles, M4F_80.clockHz)} / ${ms(e, M4F_80.clockHz)} | ${ms(b.measured.cycles, M4F_120.clockHz)} / ${ms(e, M4F_120.clockHz)} |`);
      }
    }
    md.push('', '| case | RAM meas.: arena + statics + stack = total | RAM est. | flash meas.: code + constants + weights + libc = total | flash est. |', '|---|---|---|---|---|');
    for (const r of rows) {
      if (r['error'] || (r['group'] !== 'example' && r['group'] !== 'fixture')) continue;
      const ram = r['ram'] as { estimated?: { total: number }; measured?: { arena: number; staticData: number; stack: number; total: number } };
      const fl = r['flash'] as { estimated?: { total: number }; measured?: { code: number; constants: number; weights: number; libc: number; total: number } };
      const rm = ram.measured!;
      const fm = fl.measured!;
      md.push(`| ${String(r['case']).replace(/^example /, '')} | ${formatCount(rm.arena)} + ${formatCount(rm.staticData - rm.arena)} + ${formatCount(rm.stack)} = ${formatCount(rm.total)} B | ${formatCount(ram.estimated?.total ?? 0)} B | ${formatCount(fm.code)} + ${formatCount(fm.constants)} + ${formatCount(fm.weights)} + ${formatCount(fm.libc)} = ${formatCount(fm.total)} B | ${formatCount(fl.estimated?.total ?? 0)} B |`);
    }
    md.push('', '| block kind | cases | in-sample mean abs. | in-sample worst | held-out mean abs. | held-out worst |', '|---|---|---|---|---|---|');
    for (const r of errorRows) md.push(`| ${r.kind} | ${r.inSample?.n ?? 0} | ${pct(r.inSample?.meanAbs).replace('+', '')} | ${pct(r.inSample?.worst)} | ${pct(r.heldOut?.meanAbs).replace('+', '')} | ${pct(r.heldOut?.worst)} |`);
    md.push('', 'Like for like with TensorFlow Lite Micro on the same emulated board (../shared/notes/tflm-baseline.md: Invoke() only; ours: impulse_run_quantized, input and output copies included):', '', '| model | ours: instructions / cycles / arena | TFLM reference kernels | TFLM + CMSIS-NN |', '|---|---|---|---|');
    for (const name of ['hello_world_int8', 'micro_speech_quantized'] as const) {
      const r = rows.find((x) => x['case'] === name && !x['error']);
      if (!r) continue;
      const b = (r['blocks'] as { kind: string; measured?: { instructions: number; cycles: number } }[]).find((x) => x.kind === 'network')?.measured;
      const arena = (r['ram'] as { measured?: { arena: number } }).measured?.arena;
      const t = ANCHORS.tflm[name];
      md.push(`| ${name} | ${formatCount(b?.instructions ?? 0)} / ${formatCount(b?.cycles ?? 0)} / ${formatCount(arena ?? 0)} B | ${formatCount(t.reference.instructions)} / ${formatCount(t.reference.cycles)} / ${formatCount(t.reference.arena)} B | ${formatCount(t.cmsisNn.instructions)} / ${formatCount(t.cmsisNn.cycles)} / ${formatCount(t.cmsisNn.arena)} B |`);
    }
    console.log(md.join('\n'));

    mkdirSync(path.join(root, 'bench/results'), { recursive: true });
    writeFileSync(
      path.join(root, 'bench/results/device.json'),
      JSON.stringify({ device: { at80: M4F_80, at120: M4F_120 }, calibratedHere: calibrate, tablesSource: tables.source, rows, errors: errorRows, anchors: ANCHORS }, null, 1) + '\n',
    );
    console.log('\nwrote bench/results/device.json');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
