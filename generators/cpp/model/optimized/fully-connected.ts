/**
 * FULLY_CONNECTED with symmetric weights (zero point 0, as the int8 spec makes them): four output
 * units at a time (nn_dot_4units): each group of 4 inputs is loaded and sign-extended with the
 * input offset once (SXTAB16), then meets a word of each unit's weights (SXTB16 + SMLAD). The
 * weights are rearranged so that the four units' words follow each other; inputs beyond a
 * multiple of 4 are added one by one; units beyond a multiple of 4 run one at a time. Weights with
 * a zero point other than 0 use the portable kernel.
 */
import type { FullyConnectedOp, ModelIR } from '../../../../core/model/ir.js';
import { prepareFullyConnectedInt8 } from '../../../../core/model/kernels/fully-connected.js';
import { int32Data, int8Data } from '../../../../core/model/tensor-data.js';
import type { CallContext } from '../kernel-calls.js';
import { absSums, accumulatorBound, boundsComment, int8Table, offsetPairDeclaration, outputExpr, planRequantization, plus, simdFiles } from './common.js';
import type { OptimizedCall } from './index.js';

/** [out][in] → 4-unit blocks of [groups][4 units][4 inputs] then [4 units][tail]; remaining units as they are. */
export function rearrangeFcWeights(w: Int8Array, outUnits: number, inUnits: number): Int8Array {
  const groups = Math.floor(inUnits / 4);
  const tail = inUnits % 4;
  const out = new Int8Array(w.length);
  let n = 0;
  let o = 0;
  for (; o + 3 < outUnits; o += 4) {
    for (let g = 0; g < groups; g++) for (let u = 0; u < 4; u++) for (let j = 0; j < 4; j++) out[n++] = w[(o + u) * inUnits + 4 * g + j]!;
    for (let u = 0; u < 4; u++) for (let t = 0; t < tail; t++) out[n++] = w[(o + u) * inUnits + 4 * groups + t]!;
  }
  for (; o < outUnits; o++) for (let i = 0; i < inUnits; i++) out[n++] = w[o * inUnits + i]!;
  return out;
}

export function fullyConnectedCall(ctx: CallContext, op: FullyConnectedOp, model: ModelIR): OptimizedCall | undefined {
  const { prefix } = ctx;
  const p = prepareFullyConnectedInt8(model, op);
  if (p.filterOffset !== 0) return undefined;
  const native = int8Data(model, op.inputs[1]!);
  const biasT = (op.inputs[2] ?? -1) >= 0 ? op.inputs[2]! : undefined;
  const bias = biasT !== undefined ? int32Data(model, biasT) : undefined;
  const b = (u: string) => (biasT !== undefined ? `${ctx.tensor(biasT)}[${u}]` : '0');
  const sums = absSums(native, p.outUnits);
  const requant = planRequantization(
    prefix,
    p.multipliers,
    p.shifts,
    p.outUnits,
    sums.map((s, o) => accumulatorBound(bias ? bias[o]! : 0, s, p.inputOffset)),
  );
  const weights = rearrangeFcWeights(native, p.outUnits, p.inUnits);
  const groups = Math.floor(p.inUnits / 4);
  const tail = p.inUnits % 4;
  const blocks = Math.floor(p.outUnits / 4) * 4;
  const out = (acc: string, u: string) => `y[${u}] = ${outputExpr(requant.expr(acc, u), p.outputOffset, p.actMin, p.actMax)};`;
  const tailLines = (units: number, wAt: (u: number, t: string) => string, acc: (u: number) => string) =>
    tail === 0
      ? []
      : [
          `      for (t = 0; t < ${tail}; t++) {`,
          `        const int32_t xt = x[${groups > 0 ? `${4 * groups} + ` : ''}t]${plus(p.inputOffset)};`,
          ...Array.from({ length: units }, (_, u) => `        ${acc(u)} += ${wAt(u, 't')} * xt;`),
          `      }`,
        ];
  const body = [
    blocks > 0
      ? [
          `    for (o = 0; o < ${blocks}; o += 4) {`,
          `      const int8_t *w = ${prefix}_weights + o * ${p.inUnits};`,
          `      int32_t a0 = ${b('o')}, a1 = ${b('o + 1')}, a2 = ${b('o + 2')}, a3 = ${b('o + 3')};`,
          `      nn_dot_4units(x, w, ${groups}, offset2, &a0, &a1, &a2, &a3);`,
          ...tailLines(4, (u, t) => `w[${16 * groups + u * tail} + ${t}]`, (u) => `a${u}`),
          `      ${out('a0', 'o')}`,
          `      ${out('a1', 'o + 1')}`,
          `      ${out('a2', 'o + 2')}`,
          `      ${out('a3', 'o + 3')}`,
          `    }`,
        ].join('\n')
      : '',
    blocks < p.outUnits
      ? [
          `    for (o = ${blocks}; o < ${p.outUnits}; o++) {`,
          `      const int8_t *w = ${prefix}_weights + o * ${p.inUnits};`,
          `      int32_t a0 = nn_dot_1unit(x, w, ${groups}, offset2, ${b('o')});`,
          ...tailLines(1, (_u, t) => `w[${4 * groups} + ${t}]`, () => 'a0'),
          `      ${out('a0', 'o')}`,
          `    }`,
        ].join('\n')
      : '',
  ].filter((s) => s !== '');
  const fn = `/*
 * ${prefix}: FULLY_CONNECTED (optimized kernel, nn_simd.h): ${p.rows} row${p.rows > 1 ? 's' : ''} of ${p.inUnits} inputs (offset ${p.inputOffset}) → ${p.outUnits} units (offset ${p.outputOffset}, ${boundsComment(p.actMin, p.actMax)});
 * requantization ${requant.fast ? 'nn_requantize' : 'generic (fixed_point.h)'}.
 */
NN_NOINLINE static void ${prefix}_fully_connected(const int8_t *input, int8_t *output) {
  ${offsetPairDeclaration(p.inputOffset)}
  int32_t r, o${tail > 0 ? ', t' : ''};
  for (r = 0; r < ${p.rows}; r++) {
    const int8_t *x = input + r * ${p.inUnits};
    int8_t *y = output + r * ${p.outUnits};
${body.join('\n')}
  }
}`;
  return {
    definitions: [
      int8Table(
        `${prefix}_weights`,
        weights,
        `${prefix} weights, rearranged: ${blocks / 4} blocks of 4 units × [${groups} groups × 4 units × 4 inputs${tail ? `, then 4 units × ${tail} inputs` : ''}]${blocks < p.outUnits ? `, then ${p.outUnits - blocks} unit(s) × ${p.inUnits} inputs` : ''}`,
      ),
      ...requant.definitions,
      fn,
    ],
    call: `${prefix}_fully_connected(${ctx.tensor(op.inputs[0]!)}, ${ctx.tensor(op.outputs[0]!)});`,
    files: simdFiles(),
    ownConstants: [op.inputs[1]!],
    constantBytes: weights.length + requant.definitions.length * 4 * p.outUnits,
  };
}
