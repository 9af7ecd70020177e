/**
 * CONV_2D (and DEPTHWISE_CONV_2D with one input channel, which is a convolution whose output
 * channels are the depth multiplier) as a matrix product: each output pixel's window — kH × kW ×
 * inC input values plus the input offset, zeros where it leaves the image — is gathered into an
 * int16 column (im2col), two pixels at a time, in the arena's scratch; nn_gemm_2x2 multiplies the
 * two columns with two output channels' weights (SXTB16 + SMLAD: 16 MACs per 18 instructions),
 * and the four accumulators are requantized and stored. The input is sign-extended and offset
 * once per pixel, not once per output channel.
 *
 * Generation-time work: the weights rearranged into the order the product reads them (channel
 * pairs interleaved by groups of 4 k, zero-padded to a multiple of 4), every shape, stride, pad,
 * offset and activation bound written as a literal, the requantization chosen per op.
 */
import type { ModelIR, Op } from '../../../../core/model/ir.js';
import { prepareConv2dInt8 } from '../../../../core/model/kernels/conv2d.js';
import { prepareDepthwiseInt8 } from '../../../../core/model/kernels/depthwise-conv2d.js';
import type { WindowGeometry } from '../../../../core/model/kernels/geometry.js';
import { int32Data, int8Data } from '../../../../core/model/tensor-data.js';
import type { CallContext } from '../kernel-calls.js';
import { absSums, accumulatorBound, affine, boundsComment, int8Table, offsetPairDeclaration, outputExpr, planRequantization, plus, simdFiles } from './common.js';
import type { OptimizedCall } from './index.js';

export interface GemmConv extends WindowGeometry {
  readonly inC: number;
  readonly outC: number;
  readonly inputOffset: number;
  readonly outputOffset: number;
  readonly actMin: number;
  readonly actMax: number;
  readonly multipliers: Int32Array;
  readonly shifts: Int32Array;
  /** [outC][kH][kW][inC] */
  readonly weights: Int8Array;
  /** The bias tensor, if any. */
  readonly bias?: number;
  /** The op's weights tensor (replaced by the rearranged copy). */
  readonly weightsTensor: number;
  /** What the comment calls the op. */
  readonly what: string;
}

/** A conv2d, or a depthwise conv with one input channel, as a GemmConv; undefined for other depthwise convs. */
export function gemmConvOf(model: ModelIR, op: Op): GemmConv | undefined {
  if (op.op === 'conv2d') {
    const p = prepareConv2dInt8(model, op);
    return { ...p, weights: int8Data(model, op.inputs[1]!), ...biasOf(op), weightsTensor: op.inputs[1]!, what: 'CONV_2D' };
  }
  if (op.op === 'depthwiseConv2d') {
    const p = prepareDepthwiseInt8(model, op);
    if (p.inC !== 1) return undefined;
    // [1][kH][kW][outC] → [outC][kH][kW][1]
    const w = int8Data(model, op.inputs[1]!);
    const taps = p.kH * p.kW;
    const weights = new Int8Array(w.length);
    for (let t = 0; t < taps; t++) for (let oc = 0; oc < p.outC; oc++) weights[oc * taps + t] = w[t * p.outC + oc]!;
    return { ...p, weights, ...biasOf(op), weightsTensor: op.inputs[1]!, what: `DEPTHWISE_CONV_2D with 1 input channel (depth multiplier ${p.depthMultiplier}) as a convolution` };
  }
  return undefined;
}

function biasOf(op: Op): { bias?: number } {
  const b = op.inputs[2] ?? -1;
  return b >= 0 ? { bias: b } : {};
}

/** k per column (kH·kW·inC) and its round-up to groups of 4. */
function depth(c: { kH: number; kW: number; inC: number }): { k: number; kp: number; groups: number } {
  const k = c.kH * c.kW * c.inC;
  const groups = Math.ceil(k / 4);
  return { k, kp: groups * 4, groups };
}

/** Two int16 columns of kp entries. */
export function gemmScratchBytes(c: { kH: number; kW: number; inC: number }): number {
  return 2 * 2 * depth(c).kp;
}

/** Weights as nn_gemm_2x2 reads them: channel pairs, each [groups][2 channels][4 k]; an odd last channel [groups][4 k]. */
export function rearrangeGemmWeights(weights: Int8Array, outC: number, k: number): Int8Array {
  const groups = Math.ceil(k / 4);
  const kp = groups * 4;
  const out = new Int8Array(outC * kp);
  const at = (oc: number, i: number) => (i < k ? weights[oc * k + i]! : 0);
  let n = 0;
  for (let oc = 0; oc + 1 < outC; oc += 2) {
    for (let g = 0; g < groups; g++) {
      for (const c of [oc, oc + 1]) for (let j = 0; j < 4; j++) out[n++] = at(c, 4 * g + j);
    }
  }
  if (outC % 2 === 1) for (let i = 0; i < kp; i++) out[n++] = at(outC - 1, i);
  return out;
}

export function convCall(ctx: CallContext, op: Op, c: GemmConv): OptimizedCall {
  const { model, prefix } = ctx;
  const { k, kp, groups } = depth(c);
  const pixels = c.outH * c.outW;
  const bias = c.bias !== undefined ? int32Data(model, c.bias) : undefined;
  const biasName = c.bias !== undefined ? ctx.tensor(c.bias) : undefined;
  const sums = absSums(c.weights, c.outC);
  const requant = planRequantization(
    prefix,
    c.multipliers,
    c.shifts,
    c.outC,
    sums.map((s, oc) => accumulatorBound(bias ? bias[oc]! : 0, s, c.inputOffset)),
  );
  const weights = rearrangeGemmWeights(c.weights, c.outC, k);
  const definitions = [
    int8Table(
      `${prefix}_weights`,
      weights,
      `${prefix} weights, rearranged: ${Math.floor(c.outC / 2)} channel pairs × ${groups} groups × 2 channels × 4 k${c.outC % 2 ? `, then the last channel × ${groups} groups × 4 k` : ''}; k = (ky · ${c.kW} + kx) · ${c.inC} + ic${kp > k ? `, zero-padded from ${k} to ${kp}` : ''}`,
    ),
    ...requant.definitions,
    im2colFunction(prefix, c, k),
    mainFunction(prefix, c, { k, kp, groups, pixels, biasName, requant }),
  ];
  const x = ctx.tensor(op.inputs[0]!);
  const y = ctx.tensor(op.outputs[0]!);
  const scratch = ctx.scratch();
  if (scratch.includes('undefined')) {
    throw new Error(`${prefix}: the arena has no scratch for the optimized convolution's columns; plan it with kernelScratchBytes(model, op, 'optimized')`);
  }
  return {
    definitions,
    call: `${prefix}_conv(${x}, ${y}, ${scratch});`,
    files: simdFiles(),
    ownConstants: [c.weightsTensor],
    constantBytes: weights.length + requant.definitions.length * 4 * c.outC,
  };
}

/** The function writing one pixel's window into a column. */
function im2colFunction(prefix: string, c: GemmConv, k: number): string {
  const rowK = c.kW * c.inC;
  const head = `/* ${prefix}: the window of output pixel (oy, ox) as column entries 0..${k - 1}, k = (ky · ${c.kW} + kx) · ${c.inC} + ic: input${plus(c.inputOffset)}, 0 outside the image. */
static void ${prefix}_im2col(const int8_t *input, int32_t oy, int32_t ox, uint8_t *col) {
  ${offsetPairDeclaration(c.inputOffset)}`;
  const pointwise = c.kH === 1 && c.kW === 1 && c.padTop === 0 && c.padLeft === 0;
  if (pointwise) {
    return `${head}
  nn_col_put(col, 0, input + (${affine('oy', c.strideH * c.inW, 0)} + ${affine('ox', c.strideW, 0)}) * ${c.inC}, ${c.inC}, offset2);
}`;
  }
  const iy = affine('oy', c.strideH, -c.padTop);
  const ix = affine('ox', c.strideW, -c.padLeft);
  const rowOutside = `nn_col_zero(col, ky * ${rowK}, ${rowK});`;
  let row: string;
  if (c.dilationW === 1) {
    row = `      /* taps kx0 .. kx1-1 of the row are inside the image, one run of input bytes */
      nn_col_zero(col, ky * ${rowK}, kx0 * ${c.inC});
      nn_col_put(col, ky * ${rowK} + kx0 * ${c.inC}, input + (iy * ${c.inW} + ix0 + kx0) * ${c.inC}, (kx1 - kx0) * ${c.inC}, offset2);
      nn_col_zero(col, ky * ${rowK} + kx1 * ${c.inC}, (${c.kW} - kx1) * ${c.inC});`;
  } else {
    row = `      int32_t kx;
      for (kx = 0; kx < ${c.kW}; kx++) {
        const int32_t ix = ix0 + kx * ${c.dilationW};
        if (ix < 0 || ix >= ${c.inW}) nn_col_zero(col, (ky * ${c.kW} + kx) * ${c.inC}, ${c.inC});
        else nn_col_put(col, (ky * ${c.kW} + kx) * ${c.inC}, input + (iy * ${c.inW} + ix) * ${c.inC}, ${c.inC}, offset2);
      }`;
  }
  const kxRange =
    c.dilationW === 1
      ? `
  /* the window's columns inside the image */
  const int32_t kx0 = ix0 < 0 ? -ix0 : 0;
  const int32_t kx1 = ix0 + ${c.kW} > ${c.inW} ? ${c.inW} - ix0 : ${c.kW};`
      : '';
  const spanH = (c.kH - 1) * c.dilationH + 1;
  const spanW = (c.kW - 1) * c.dilationW + 1;
  const insideRows =
    c.dilationW === 1
      ? `    for (ky = 0; ky < ${c.kH}; ky++) nn_col_put(col, ky * ${rowK}, input + ((iy0 + ky${c.dilationH === 1 ? '' : ` * ${c.dilationH}`}) * ${c.inW} + ix0) * ${c.inC}, ${rowK}, offset2);`
      : `    for (ky = 0; ky < ${c.kH}; ky++) {
      int32_t kx;
      for (kx = 0; kx < ${c.kW}; kx++) nn_col_put(col, (ky * ${c.kW} + kx) * ${c.inC}, input + ((iy0 + ky * ${c.dilationH}) * ${c.inW} + ix0 + kx * ${c.dilationW}) * ${c.inC}, ${c.inC}, offset2);
    }`;
  return `${head}
  const int32_t iy0 = ${iy}, ix0 = ${ix};${kxRange}
  int32_t ky;
  if (iy0 >= 0 && iy0 + ${spanH} <= ${c.inH} && ix0 >= 0 && ix0 + ${spanW} <= ${c.inW}) {
    /* the whole window inside the image: ${c.dilationW === 1 ? `${c.kH} runs of ${rowK} input bytes` : `${c.kH * c.kW} runs of ${c.inC} input bytes`} */
${insideRows}
    return;
  }
  for (ky = 0; ky < ${c.kH}; ky++) {
    const int32_t iy = iy0 + ky${c.dilationH === 1 ? '' : ` * ${c.dilationH}`};
    if (iy < 0 || iy >= ${c.inH}) {
      ${rowOutside}
    } else {
${row}
    }
  }
}`;
}

interface MainParts {
  readonly k: number;
  readonly kp: number;
  readonly groups: number;
  readonly pixels: number;
  readonly biasName: string | undefined;
  readonly requant: ReturnType<typeof planRequantization>;
}

function mainFunction(prefix: string, c: GemmConv, m: MainParts): string {
  const { kp, groups, pixels, requant } = m;
  const oc = c.outC;
  const colBytes = 2 * kp;
  const b = (ch: string) => (m.biasName ? `${m.biasName}[${ch}]` : '0');
  const out = (acc: string, ch: string) => outputExpr(requant.expr(acc, ch), c.outputOffset, c.actMin, c.actMax);
  const px = (p: string) => `${p} / ${c.outW}, ${p} % ${c.outW}`;
  const pairs = Math.floor(oc / 2);
  const oddChannel = oc % 2 === 1;
  const twoPixels = [
    `    for (c = 0; c < ${pairs * 2}; c += 2) {`,
    `      int32_t a0 = ${b('c')}, b0 = ${b('c + 1')};`,
    `      int32_t a1 = a0, b1 = b0;`,
    `      nn_gemm_2x2(cols, ${colBytes}, ${prefix}_weights + c * ${kp}, ${groups}, &a0, &b0, &a1, &b1);`,
    `      out[c] = ${out('a0', 'c')};`,
    `      out[c + 1] = ${out('b0', 'c + 1')};`,
    `      out[${oc} + c] = ${out('a1', 'c')};`,
    `      out[${oc} + c + 1] = ${out('b1', 'c + 1')};`,
    `    }`,
    ...(oddChannel
      ? [
          `    {`,
          `      int32_t a0 = ${b(String(oc - 1))}, a1 = a0;`,
          `      nn_gemm_2x1(cols, ${colBytes}, ${prefix}_weights + ${(oc - 1) * kp}, ${groups}, &a0, &a1);`,
          `      out[${oc - 1}] = ${out('a0', String(oc - 1))};`,
          `      out[${2 * oc - 1}] = ${out('a1', String(oc - 1))};`,
          `    }`,
        ]
      : []),
  ];
  const onePixel = [
    `    for (c = 0; c < ${pairs * 2}; c += 2) {`,
    `      int32_t a0 = ${b('c')}, b0 = ${b('c + 1')};`,
    `      nn_gemm_1x2(cols, ${prefix}_weights + c * ${kp}, ${groups}, &a0, &b0);`,
    `      out[c] = ${out('a0', 'c')};`,
    `      out[c + 1] = ${out('b0', 'c + 1')};`,
    `    }`,
    ...(oddChannel ? [`    out[${oc - 1}] = ${out(`nn_gemm_1x1(cols, ${prefix}_weights + ${(oc - 1) * kp}, ${groups}, ${b(String(oc - 1))})`, String(oc - 1))};`] : []),
  ];
  const lastPixel =
    pixels % 2 === 1
      ? `
  {
    /* the last, odd pixel on its own */
    int8_t *out = output + ${(pixels - 1) * oc};
    ${prefix}_im2col(input, ${c.outH - 1}, ${c.outW - 1}, cols);
${onePixel.join('\n')}
  }`
      : '';
  const padTail = kp > m.k ? `\n  /* entries ${m.k}..${kp - 1} of both columns meet zero weights; keep them 0 */\n  nn_col_zero(cols, ${m.k}, ${kp - m.k});\n  nn_col_zero(cols + ${colBytes}, ${m.k}, ${kp - m.k});` : '';
  return `/*
 * ${prefix}: ${c.what}, as a matrix product (optimized kernel, nn_simd.h).
 * input [1×${c.inH}×${c.inW}×${c.inC}], offset ${c.inputOffset}; output [1×${c.outH}×${c.outW}×${oc}] = ${pixels} pixels × ${oc} channels, offset ${c.outputOffset}, ${boundsComment(c.actMin, c.actMax)};
 * window ${c.kH}×${c.kW}, stride ${c.strideH}×${c.strideW}${c.dilationH !== 1 || c.dilationW !== 1 ? `, dilation ${c.dilationH}×${c.dilationW}` : ''}, padding top ${c.padTop} left ${c.padLeft}; requantization ${requant.fast ? 'nn_requantize' : 'generic (fixed_point.h)'}.
 * cols: 2 columns of ${kp} int16 (${2 * colBytes} bytes of arena scratch).
 */
NN_NOINLINE static void ${prefix}_conv(const int8_t *input, int8_t *output, uint8_t *cols) {
  int32_t p, c;${padTail}
  for (p = 0; p + 1 < ${pixels}; p += 2) {
    int8_t *out = output + p * ${oc};
    ${prefix}_im2col(input, ${px('p')}, cols);
    ${prefix}_im2col(input, ${px('(p + 1)')}, cols + ${colBytes});
${twoPixels.join('\n')}
  }${lastPixel}
}`;
}
