/**
 * From calibration samples to the cost tables (a Calibration): one non-negative least-squares fit
 * per op kind, per DSP block type, per anomaly block type, for the network's input feed and for
 * impulse_run's own work; stack figures as the deepest seen; code sizes per shared source as
 * measured, and fitted rows for the generated files.
 */
import type { BlockCost, Calibration, FitQuality, OpCost } from '../estimate/cost-model.js';
import { constantArrayBytes, namesBytes } from '../estimate/memory.js';
import { optimizedFamilies } from '../estimate/sdk-ops.js';
import type { SdkSpec } from '../../../generators/cpp/sdk/spec.js';
import { fitNonNegative, type FitSample, type LinearFit } from './fit.js';
import type { CalibrationSamples } from './samples.js';

const round = (v: number, digits = 3): number => Number(v.toPrecision(digits));

function quality(f: LinearFit): FitQuality {
  return { samples: f.samples, maxRelativeError: round(f.maxRelativeError, 2), meanRelativeError: round(f.meanRelativeError, 2) };
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const i of items) m.set(key(i), [...(m.get(key(i)) ?? []), i]);
  return m;
}

function opRows(samples: CalibrationSamples): Record<string, OpCost & FitQuality> {
  const out: Record<string, OpCost & FitQuality> = {};
  for (const [kind, list] of groupBy(samples.ops, (s) => s.kind)) {
    // Features: calls, MACs, loop entries, outputs, im2col values; a lone sample is fitted by its MACs (or outputs).
    const rows: FitSample[] = list.map((s) => ({ x: [s.calls, s.macs, s.loops, s.outputs, s.columns], y: s.cycles }));
    const prefer = list.every((s) => s.macs === 0) ? 3 : 1;
    const f = fitNonNegative(rows, 5, prefer);
    if (!f) continue;
    const [perCall, perMac, perLoop, perOutput, perColumn] = f.coefficients.map((c) => round(c, 4));
    out[kind] = { perCall: perCall!, perMac: perMac!, perLoop: perLoop!, perOutput: perOutput!, perColumn: perColumn!, ...quality(f) };
  }
  return out;
}

function blockRows(samples: CalibrationSamples, family: 'dsp' | 'anomaly'): Record<string, BlockCost & FitQuality> {
  const out: Record<string, BlockCost & FitQuality> = {};
  for (const [type, list] of groupBy(samples.blocks.filter((b) => b.family === family), (s) => s.type)) {
    const f = fitNonNegative(list.map((s) => ({ x: [1, s.macs, s.flops, s.inputs, s.outputs], y: s.cycles })), 5, 1);
    if (!f) continue;
    const [perCall, perMac, perFlop, perInput, perOutput] = f.coefficients.map((c) => round(c, 4));
    out[type] = { perCall: perCall!, perMac: perMac!, perFlop: perFlop!, perInput: perInput!, perOutput: perOutput!, ...quality(f) };
  }
  return out;
}

function fitted(rows: FitSample[], k: number, prefer: number, fallback: number[]): { c: number[]; q: FitQuality } {
  const f = fitNonNegative(rows, k, prefer);
  return f ? { c: f.coefficients.map((v) => round(v, 4)), q: quality(f) } : { c: fallback, q: { samples: 0, maxRelativeError: 0, meanRelativeError: 0 } };
}

function linearCode(points: { x: number; y: number }[]): { base: number; per: number } {
  if (points.length === 0) return { base: 0, per: 0 };
  const f = fitNonNegative(points.map((p) => ({ x: [1, p.x], y: Math.max(1, p.y) })), 2, 1);
  return f ? { base: Math.round(f.coefficients[0]!), per: round(f.coefficients[1]!, 3) } : { base: Math.round(points[0]!.y), per: 0 };
}

function optimizedOf(spec: SdkSpec, sources: ReadonlyMap<string, string | Uint8Array>): number {
  const text = spec.network ? sources.get(`src/${spec.network.name}.c`) : undefined;
  return typeof text === 'string' ? optimizedFamilies(text).size : 0;
}

export function deriveCalibration(samples: CalibrationSamples, source: string, base: Calibration): Calibration {
  const input = fitted(samples.networkInput.map((s) => ({ x: [s.ops, s.quantized, s.copiedBytes], y: s.cycles })), 3, 0, [base.networkInput.perCall, base.networkInput.perQuantized, base.networkInput.perCopiedByte]);
  const pipeline = fitted(samples.pipeline.map((s) => ({ x: [1, s.inputs, s.features], y: s.cycles })), 3, 1, [base.pipeline.perCall, base.pipeline.perInput, base.pipeline.perFeature]);

  const dspStack: Record<string, number> = {};
  for (const b of samples.blocks) if (b.family === 'dsp') dspStack[b.type] = Math.max(dspStack[b.type] ?? 0, b.stackBytes);
  const maxOf = (xs: number[], fallback: number) => (xs.length ? Math.max(...xs) : fallback);
  const stack = {
    run: maxOf(samples.stack.filter((s) => s.kind === 'run').map((s) => s.bytes - s.deepestBlock), base.stack.run),
    network: maxOf(samples.stack.filter((s) => s.kind === 'network').map((s) => s.bytes), base.stack.network),
    anomaly: maxOf(samples.blocks.filter((b) => b.family === 'anomaly').map((b) => b.stackBytes), base.stack.anomaly),
    dsp: dspStack,
  };

  // Code: shared sources as measured (the largest seen: the same source compiles to the same size);
  // generated files by fitted rows.
  const files: Record<string, { code: number; constants: number; libc: number }> = {};
  const pipelinePoints: { x: number; y: number }[] = [];
  const modelPoints: { ops: number; optimized: number; y: number; params: number }[] = [];
  const instancePoints: number[] = [];
  let libcBase = Infinity;
  let bytes = 0;
  let chars = 0;
  for (const { spec, footprint, sources } of samples.code) {
    const net = spec.network;
    const blocks = spec.dsp.length + (net ? 1 : 0) + (spec.anomaly ? 1 : 0);
    for (const s of footprint.bySource) {
      if (s.source === 'impulse.c') {
        pipelinePoints.push({ x: blocks, y: s.code + s.constants - namesBytes(spec) });
        libcBase = Math.min(libcBase, s.libc);
      } else if (net && s.source === `${net.name}.c`) {
        const text = sources.get(`src/${s.source}`);
        modelPoints.push({ ops: net.model.ops.length, optimized: optimizedOf(spec, sources), y: s.code, params: s.constants - (typeof text === 'string' ? constantArrayBytes(text) : 0) });
      } else if (net && s.source === `${net.name}_weights.c`) continue;
      else if (/^blocks\/(dsp|anomaly)_[^/]+\.c$/.test(s.source)) {
        const text = sources.get(`src/${s.source}`);
        instancePoints.push(s.code + s.constants - (typeof text === 'string' ? constantArrayBytes(text) : 0));
      }
      else {
        const prev = files[s.source];
        files[s.source] = { code: Math.max(prev?.code ?? 0, s.code), constants: Math.max(prev?.constants ?? 0, s.constants), libc: Math.max(prev?.libc ?? 0, s.libc) };
        const text = sources.get(`src/${s.source}`);
        if (typeof text === 'string') {
          bytes += s.code + s.constants;
          chars += text.length;
        }
      }
    }
  }
  const pipelineRow = linearCode(pipelinePoints);
  const modelFit = fitNonNegative(modelPoints.map((p) => ({ x: [1, p.ops, p.optimized], y: Math.max(1, p.y) })), 3, 1);
  const paramsPerOp = modelPoints.length ? round(modelPoints.reduce((n, p) => n + Math.max(0, p.params), 0) / modelPoints.reduce((n, p) => n + p.ops, 0), 3) : base.code.model.paramsPerOp;
  const modelRow = modelFit ? { base: Math.round(modelFit.coefficients[0]!), perOp: round(modelFit.coefficients[1]!, 3), perOptimizedOp: round(modelFit.coefficients[2]!, 3), paramsPerOp } : base.code.model;
  return {
    source,
    ops: opRows(samples),
    dsp: blockRows(samples, 'dsp'),
    anomaly: blockRows(samples, 'anomaly'),
    networkInput: { perCall: input.c[0]!, perQuantized: input.c[1]!, perCopiedByte: input.c[2]!, ...input.q },
    pipeline: { perCall: pipeline.c[0]!, perInput: pipeline.c[1]!, perFeature: pipeline.c[2]!, ...pipeline.q },
    stack,
    code: {
      files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b))),
      pipeline: { base: pipelineRow.base, perBlock: pipelineRow.per },
      model: modelRow,
      instance: { base: instancePoints.length ? Math.round(Math.max(...instancePoints)) : base.code.instance.base },
      libcBase: Number.isFinite(libcBase) ? libcBase : base.code.libcBase,
      bytesPerSourceChar: chars > 0 ? round(bytes / chars, 3) : base.code.bytesPerSourceChar,
    },
  };
}
