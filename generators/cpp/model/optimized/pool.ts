/**
 * MAX_POOL_2D, AVERAGE_POOL_2D and the global average pool, four channels per word: the maximum
 * with SSUB8 + SEL (nn_max_s8x4), the sums in two pairs of int16 lanes with SXTAB16
 * (nn_sum_s8x4, exact while a window has at most 255 taps; larger windows sum in int32 one channel
 * at a time). The average divides by the tap count with TFLite's rounding; when no window is ever
 * clipped by the image the count is a literal, so the compiler divides by multiplying.
 */
import type { GlobalAvgPoolOp, ModelIR, Pool2dOp } from '../../../../core/model/ir.js';
import { preparePoolInt8, type PoolParams } from '../../../../core/model/kernels/pool.js';
import type { CallContext } from '../kernel-calls.js';
import { affine, boundsComment, simdFiles } from './common.js';
import type { OptimizedCall } from './index.js';

/** Whether every window lies inside the image (then every window has kH·kW taps). */
function neverClipped(p: PoolParams): boolean {
  return p.padTop === 0 && p.padLeft === 0 && (p.outH - 1) * p.strideH + p.kH <= p.inH && (p.outW - 1) * p.strideW + p.kW <= p.inW;
}

const byteLanes = (v: number) => `0x${(((v & 0xff) * 0x01010101) >>> 0).toString(16).padStart(8, '0').toUpperCase()}u`;

export function poolCall(ctx: CallContext, op: Pool2dOp | GlobalAvgPoolOp, model: ModelIR): OptimizedCall {
  const { prefix } = ctx;
  const p = preparePoolInt8(model, op);
  const max = op.op === 'maxPool2d';
  const c4 = p.channels - (p.channels % 4);
  const full = neverClipped(p);
  const clampScalar = (v: string) => (p.actMin <= -128 && p.actMax >= 127 ? v : `fp_clamp(${v}, ${p.actMin}, ${p.actMax})`);
  const at = (c: string) => `input + (y * ${p.inW} + x) * ${p.channels} + ${c}`;
  const value = `input[(y * ${p.inW} + x) * ${p.channels} + c]`;
  let groupBody: string;
  let tailBody: string;
  if (max) {
    const clampLanes = [
      ...(p.actMin > -128 ? [`      best = nn_max_s8x4(best, ${byteLanes(p.actMin)}); /* activation minimum ${p.actMin} */`] : []),
      ...(p.actMax < 127 ? [`      best = nn_min_s8x4(best, ${byteLanes(p.actMax)}); /* activation maximum ${p.actMax} */`] : []),
    ];
    groupBody = `      uint32_t best = 0x80808080u; /* -128 in every lane */
      for (y = y0; y < y1; y++) {
        for (x = x0; x < x1; x++) best = nn_max_s8x4(best, nn_load32(${at('c')}));
      }
${clampLanes.join('\n')}${clampLanes.length ? '\n' : ''}      nn_store32(out + c, best);`;
    tailBody = `      int32_t best = -128;
      for (y = y0; y < y1; y++) {
        for (x = x0; x < x1; x++) {
          if (${value} > best) best = ${value};
        }
      }
      out[c] = (int8_t)${clampScalar('best')};`;
  } else if (p.kH * p.kW <= 255) {
    groupBody = `      uint32_t even = 0, odd = 0; /* int16 lane sums of channels c, c+2 and c+1, c+3 */
      for (y = y0; y < y1; y++) {
        for (x = x0; x < x1; x++) nn_sum_s8x4(${at('c')}, &even, &odd);
      }
      out[c] = (int8_t)${clampScalar('nn_div_round(nn_lo16(even), count)')};
      out[c + 1] = (int8_t)${clampScalar('nn_div_round(nn_lo16(odd), count)')};
      out[c + 2] = (int8_t)${clampScalar('nn_div_round(nn_hi16(even), count)')};
      out[c + 3] = (int8_t)${clampScalar('nn_div_round(nn_hi16(odd), count)')};`;
    tailBody = `      int32_t sum = 0;
      for (y = y0; y < y1; y++) {
        for (x = x0; x < x1; x++) sum += ${value};
      }
      out[c] = (int8_t)${clampScalar('nn_div_round(sum, count)')};`;
  } else {
    groupBody = '';
    tailBody = `      int32_t sum = 0;
      for (y = y0; y < y1; y++) {
        for (x = x0; x < x1; x++) sum += ${value};
      }
      out[c] = (int8_t)${clampScalar('nn_div_round(sum, count)')};`;
  }
  const groups = groupBody !== '' ? c4 : 0;
  const count = max ? '' : full ? `\n      const int32_t count = ${p.kH * p.kW};` : '\n      const int32_t count = (y1 - y0) * (x1 - x0);';
  const name = max ? 'MAX_POOL_2D' : op.op === 'globalAvgPool' ? 'global AVERAGE_POOL_2D' : 'AVERAGE_POOL_2D';
  const fn = `/*
 * ${prefix}: ${name} (optimized kernel, nn_simd.h), 4 channels per word.
 * input [1×${p.inH}×${p.inW}×${p.channels}] → output [1×${p.outH}×${p.outW}×${p.channels}], ${boundsComment(p.actMin, p.actMax)};
 * window ${p.kH}×${p.kW}, stride ${p.strideH}×${p.strideW}, padding top ${p.padTop} left ${p.padLeft}${full ? ' (no window leaves the image)' : ''}.
 */
NN_NOINLINE static void ${prefix}_pool(const int8_t *input, int8_t *output) {
  int32_t oy, ox, y, x, c;
  for (oy = 0; oy < ${p.outH}; oy++) {
    const int32_t top = ${affine('oy', p.strideH, -p.padTop)};
    const int32_t y0 = top < 0 ? 0 : top;
    const int32_t y1 = top + ${p.kH} > ${p.inH} ? ${p.inH} : top + ${p.kH};
    for (ox = 0; ox < ${p.outW}; ox++) {
      const int32_t left = ${affine('ox', p.strideW, -p.padLeft)};
      const int32_t x0 = left < 0 ? 0 : left;
      const int32_t x1 = left + ${p.kW} > ${p.inW} ? ${p.inW} : left + ${p.kW};${count}
      int8_t *out = output + (oy * ${p.outW} + ox) * ${p.channels};
${
  groups > 0
    ? `      for (c = 0; c < ${groups}; c += 4) {
${groupBody.replace(/^ {6}/gm, '        ')}
      }
`
    : ''
}${
  groups < p.channels
    ? `      for (c = ${groups}; c < ${p.channels}; c++) {
${tailBody.replace(/^ {6}/gm, '        ')}
      }`
    : ''
}
    }
  }
}`;
  return {
    definitions: [fn],
    call: `${prefix}_pool(${ctx.tensor(op.inputs[0]!)}, ${ctx.tensor(op.outputs[0]!)});`,
    files: simdFiles(),
  };
}
