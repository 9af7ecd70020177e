/**
 * DEPTHWISE_CONV_2D with more than one input channel: per output pixel, four channels at a time
 * (nn_dw_tap4: one word of inputs and one of weights per tap, SXTAB16 adds the input offset while
 * it sign-extends, SMLABB/SMLATT accumulate per channel), over the window's taps inside the image
 * (skipping a tap is exactly what the reference does). Pixels whose window lies inside the image
 * run a copy of the pixel function with the window as literals (the compiler unrolls small
 * windows); border pixels run it with their clipped bounds. Channels beyond a multiple of 4 are
 * done one by one. With a depth multiplier M > 1 the weights are rearranged to [m][ky][kx][ic] so
 * that the four input channels of a group meet contiguous weights; output channel ic · M + m.
 */
import type { ModelIR, Op } from '../../../../core/model/ir.js';
import { prepareDepthwiseInt8, type DepthwiseInt8Params } from '../../../../core/model/kernels/depthwise-conv2d.js';
import { int32Data, int8Data } from '../../../../core/model/tensor-data.js';
import type { CallContext } from '../kernel-calls.js';
import { accumulatorBound, affine, boundsComment, int8Table, offsetPairDeclaration, outputExpr, planRequantization, plus, simdFiles } from './common.js';
import type { OptimizedCall } from './index.js';

export function depthwiseCall(ctx: CallContext, op: Op & { op: 'depthwiseConv2d' }, model: ModelIR): OptimizedCall {
  const { prefix } = ctx;
  const p = prepareDepthwiseInt8(model, op);
  const m = p.depthMultiplier;
  const taps = p.kH * p.kW;
  const native = int8Data(model, op.inputs[1]!); // [taps][outC], outC = ic · M + m
  const biasT = (op.inputs[2] ?? -1) >= 0 ? op.inputs[2]! : undefined;
  const bias = biasT !== undefined ? int32Data(model, biasT) : undefined;
  const biasName = biasT !== undefined ? ctx.tensor(biasT) : undefined;
  const bounds: number[] = [];
  for (let oc = 0; oc < p.outC; oc++) {
    let s = 0;
    for (let t = 0; t < taps; t++) s += Math.abs(native[t * p.outC + oc]!);
    bounds.push(accumulatorBound(bias ? bias[oc]! : 0, s, p.inputOffset));
  }
  const requant = planRequantization(prefix, p.multipliers, p.shifts, p.outC, bounds);
  const definitions: string[] = [];
  let weightsName: string;
  const own: number[] = [];
  let constantBytes = requant.definitions.length * 4 * p.outC;
  if (m === 1) {
    weightsName = ctx.tensor(op.inputs[1]!);
  } else {
    // [taps][ic · M + m] → [m][taps][ic]
    const w = new Int8Array(native.length);
    for (let mm = 0; mm < m; mm++) for (let t = 0; t < taps; t++) for (let ic = 0; ic < p.inC; ic++) w[(mm * taps + t) * p.inC + ic] = native[t * p.outC + ic * m + mm]!;
    weightsName = `${prefix}_weights`;
    definitions.push(int8Table(weightsName, w, `${prefix} weights, rearranged to [${m} multipliers][${p.kH}×${p.kW} taps][${p.inC} input channels]`));
    own.push(op.inputs[1]!);
    constantBytes += w.length;
  }
  definitions.push(...requant.definitions, pixelFunctions({ prefix, p, weights: weightsName, biasName, requant }), mainFunction(prefix, p, requant.fast));
  return {
    definitions,
    call: `${prefix}_depthwise(${ctx.tensor(op.inputs[0]!)}, ${ctx.tensor(op.outputs[0]!)});`,
    files: simdFiles(),
    ownConstants: own,
    constantBytes,
  };
}

/** Output positions whose whole window lies inside the image along one axis: [first, end). */
function insideRange(out: number, size: number, taps: number, stride: number, pad: number, dilation: number): [number, number] {
  let first = -1;
  let end = -1;
  for (let o = 0; o < out; o++) {
    const i0 = o * stride - pad;
    if (i0 >= 0 && i0 + (taps - 1) * dilation < size) {
      if (first < 0) first = o;
      end = o + 1;
    }
  }
  return first < 0 ? [0, 0] : [first, end];
}

/** Windows up to this many taps are unrolled in the function of inside pixels. */
const UNROLL_TAPS = 25;

interface PixelParts {
  readonly prefix: string;
  readonly p: DepthwiseInt8Params;
  readonly weights: string;
  readonly biasName: string | undefined;
  readonly requant: ReturnType<typeof planRequantization>;
}

/**
 * The body of a pixel function: every output channel, four at a time then one by one, from the
 * taps the `taps4` / `tap1` code visits (x: the window's input at tap (0, 0) plus the channel).
 */
function channelLoops(parts: PixelParts, taps4: (c: string) => string[], tap1: (c: string) => string[]): string {
  const { p, weights, biasName, requant } = parts;
  const m = p.depthMultiplier;
  const c4 = p.inC - (p.inC % 4);
  const oc = (ic: string) => (m === 1 ? ic : `(${ic}) * ${m} + m`);
  const b = (ic: string) => (biasName ? `${biasName}[${oc(ic)}]` : '0');
  const out = (acc: string, ic: string) => `out[${oc(ic)}] = ${outputExpr(requant.expr(acc, oc(ic)), p.outputOffset, p.actMin, p.actMax)};`;
  const body: string[] = [];
  if (c4 > 0) {
    body.push(
      `  for (c = 0; c < ${c4}; c += 4) {`,
      `    int32_t a0 = ${b('c')}, a1 = ${b('c + 1')}, a2 = ${b('c + 2')}, a3 = ${b('c + 3')};`,
      ...taps4('c').map((l) => `    ${l}`),
      `    ${out('a0', 'c')}`,
      `    ${out('a1', 'c + 1')}`,
      `    ${out('a2', 'c + 2')}`,
      `    ${out('a3', 'c + 3')}`,
      `  }`,
    );
  }
  if (c4 < p.inC) {
    body.push(`  for (c = ${c4}; c < ${p.inC}; c++) {`, `    int32_t acc = ${b('c')};`, ...tap1('c').map((l) => `    ${l}`), `    ${out('acc', 'c')}`, `  }`);
  }
  if (m === 1) return body.join('\n');
  return [`  for (m = 0; m < ${m}; m++) {`, `    const int8_t *w_m = ${weights} + m * ${p.kH * p.kW * p.inC};`, ...body.map((l) => `  ${l}`), `  }`].join('\n');
}

/** Functions for pixels whose window is inside the image (taps as literals) and for border pixels. */
function pixelFunctions(parts: PixelParts): string {
  const { prefix, p } = parts;
  const m = p.depthMultiplier;
  const w = m === 1 ? parts.weights : 'w_m';
  const rowStep = p.dilationH * p.inW * p.inC;
  const colStep = p.dilationW * p.inC;
  const tapOffsets: { ky: number; kx: number; x: number; w: number }[] = [];
  for (let ky = 0; ky < p.kH; ky++) for (let kx = 0; kx < p.kW; kx++) tapOffsets.push({ ky, kx, x: ky * rowStep + kx * colStep, w: (ky * p.kW + kx) * p.inC });
  const unroll = tapOffsets.length <= UNROLL_TAPS;
  const insideTaps4 = (c: string) =>
    unroll
      ? tapOffsets.map((t) => `nn_dw_tap4(x + ${affine(c, 1, t.x)}, ${w} + ${affine(c, 1, t.w)}, offset2, &a0, &a1, &a2, &a3); /* tap (${t.ky}, ${t.kx}) */`)
      : [
          `for (ky = 0; ky < ${p.kH}; ky++) {`,
          `  for (kx = 0; kx < ${p.kW}; kx++) nn_dw_tap4(x + ky * ${rowStep} + kx * ${colStep} + ${c}, ${w} + (ky * ${p.kW} + kx) * ${p.inC} + ${c}, offset2, &a0, &a1, &a2, &a3);`,
          `}`,
        ];
  const insideTap1 = (c: string) =>
    unroll
      ? tapOffsets.map((t) => `acc += ${w}[${affine(c, 1, t.w)}] * (x[${affine(c, 1, t.x)}]${plus(p.inputOffset)}); /* tap (${t.ky}, ${t.kx}) */`)
      : [`for (ky = 0; ky < ${p.kH}; ky++) {`, `  for (kx = 0; kx < ${p.kW}; kx++) acc += ${w}[(ky * ${p.kW} + kx) * ${p.inC} + ${c}] * (x[ky * ${rowStep} + kx * ${colStep} + ${c}]${plus(p.inputOffset)});`, `}`];
  const edgeTaps4 = (c: string) => [
    `for (ky = ky0; ky < ky1; ky++) {`,
    `  for (kx = kx0; kx < kx1; kx++) nn_dw_tap4(input + (at + ky * ${rowStep} + kx * ${colStep} + ${c}), ${w} + (ky * ${p.kW} + kx) * ${p.inC} + ${c}, offset2, &a0, &a1, &a2, &a3);`,
    `}`,
  ];
  const edgeTap1 = (c: string) => [
    `for (ky = ky0; ky < ky1; ky++) {`,
    `  for (kx = kx0; kx < kx1; kx++) acc += ${w}[(ky * ${p.kW} + kx) * ${p.inC} + ${c}] * (input[at + ky * ${rowStep} + kx * ${colStep} + ${c}]${plus(p.inputOffset)});`,
    `}`,
  ];
  const c4 = p.inC - (p.inC % 4);
  const locals = (loops: boolean) => `  int32_t c${loops ? ', ky, kx' : ''}${m === 1 ? '' : ', m'};${c4 === 0 ? '\n  (void)offset2;' : ''}`;
  return `/* ${prefix}: every output channel of a pixel whose ${p.kH}×${p.kW} window is inside the image; x = the input at its tap (0, 0). */
NN_INLINE void ${prefix}_pixel_inside(const int8_t *x, int8_t *out) {
  ${offsetPairDeclaration(p.inputOffset)}
${locals(!unroll)}
${channelLoops(parts, insideTaps4, insideTap1)}
}

/* ${prefix}: every output channel of a border pixel, from its taps inside the image (ky0..ky1-1 × kx0..kx1-1); \`at\` indexes its tap (0, 0). */
NN_INLINE void ${prefix}_pixel_edge(const int8_t *input, int32_t at, int32_t ky0, int32_t ky1, int32_t kx0, int32_t kx1, int8_t *out) {
  ${offsetPairDeclaration(p.inputOffset)}
${locals(true)}
${channelLoops(parts, edgeTaps4, edgeTap1)}
}`;
}

function mainFunction(prefix: string, p: DepthwiseInt8Params, fast: boolean): string {
  /** The window's taps inside the image along one axis: k0 .. k1-1, from its first input coordinate i0. */
  const range = (k: string, i0: string, size: number, taps: number, dilation: number): [string, string] => {
    if (dilation === 1) return [`const int32_t ${k}0 = ${i0} < 0 ? -${i0} : 0;`, `const int32_t ${k}1 = ${i0} + ${taps} > ${size} ? ${size} - ${i0} : ${taps};`];
    const end = `(${size} - ${i0} + ${dilation - 1}) / ${dilation}`;
    return [`const int32_t ${k}0 = ${i0} < 0 ? (-${i0} + ${dilation - 1}) / ${dilation} : 0;`, `const int32_t ${k}1 = ${end} < ${taps} ? ${end} : ${taps};`];
  };
  const [ky0, ky1] = range('ky', 'iy0', p.inH, p.kH, p.dilationH);
  const [kx0, kx1] = range('kx', 'ix0', p.inW, p.kW, p.dilationW);
  const [oyA, oyB] = insideRange(p.outH, p.inH, p.kH, p.strideH, p.padTop, p.dilationH);
  const [oxA, oxB] = insideRange(p.outW, p.inW, p.kW, p.strideW, p.padLeft, p.dilationW);
  return `/*
 * ${prefix}: DEPTHWISE_CONV_2D (optimized kernel, nn_simd.h), depth multiplier ${p.depthMultiplier}.
 * input [1×${p.inH}×${p.inW}×${p.inC}], offset ${p.inputOffset}; output [1×${p.outH}×${p.outW}×${p.outC}], offset ${p.outputOffset}, ${boundsComment(p.actMin, p.actMax)};
 * window ${p.kH}×${p.kW}, stride ${p.strideH}×${p.strideW}${p.dilationH !== 1 || p.dilationW !== 1 ? `, dilation ${p.dilationH}×${p.dilationW}` : ''}, padding top ${p.padTop} left ${p.padLeft}; requantization ${fast ? 'nn_requantize' : 'generic (fixed_point.h)'}.
 * Rows ${oyA}..${oyB - 1} × columns ${oxA}..${oxB - 1} have their whole window inside the image.
 */
NN_NOINLINE static void ${prefix}_depthwise(const int8_t *input, int8_t *output) {
  int32_t oy, ox;
  for (oy = 0; oy < ${p.outH}; oy++) {
    const int32_t iy0 = ${affine('oy', p.strideH, -p.padTop)}; /* the window's first input row */
    ${ky0}
    ${ky1}
    for (ox = 0; ox < ${p.outW}; ox++) {
      const int32_t ix0 = ${affine('ox', p.strideW, -p.padLeft)};
      const int32_t at = (iy0 * ${p.inW} + ix0) * ${p.inC};
      int8_t *out = output + (oy * ${p.outW} + ox) * ${p.outC};
      if (oy >= ${oyA} && oy < ${oyB} && ox >= ${oxA} && ox < ${oxB}) {
        ${prefix}_pixel_inside(input + at, out);
      } else {
        ${kx0}
        ${kx1}
        ${prefix}_pixel_edge(input, at, ky0, ky1, kx0, kx1, out);
      }
    }
  }
}`;
}
