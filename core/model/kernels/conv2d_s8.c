/*
 * conv2d_s8 — int8 CONV_2D (TFLite Micro reference ConvPerChannel arithmetic):
 *   acc = bias[oc] + sum over taps inside the image of w * (x + input_offset)
 *   y   = clamp(MultiplyByQuantizedMultiplier(acc, multipliers[oc], shifts[oc]) + output_offset)
 */
#include "conv2d_s8.h"
#include "fixed_point.h"

void conv2d_s8(const conv2d_s8_params_t *p, const int8_t *input, const int8_t *weights, const int32_t *bias, int8_t *output) {
  int32_t oy, ox, oc, ky, kx, ic;
  for (oy = 0; oy < p->out_h; oy++) {
    const int32_t in_y0 = oy * p->stride_h - p->pad_top;
    for (ox = 0; ox < p->out_w; ox++) {
      const int32_t in_x0 = ox * p->stride_w - p->pad_left;
      int8_t *out = output + (oy * p->out_w + ox) * p->out_c;
      for (oc = 0; oc < p->out_c; oc++) {
        int32_t acc = 0;
        for (ky = 0; ky < p->k_h; ky++) {
          const int32_t iy = in_y0 + ky * p->dilation_h;
          if (iy < 0 || iy >= p->in_h) continue;
          for (kx = 0; kx < p->k_w; kx++) {
            const int32_t ix = in_x0 + kx * p->dilation_w;
            const int8_t *x;
            const int8_t *w;
            if (ix < 0 || ix >= p->in_w) continue;
            x = input + (iy * p->in_w + ix) * p->in_c;
            w = weights + ((oc * p->k_h + ky) * p->k_w + kx) * p->in_c;
            for (ic = 0; ic < p->in_c; ic++) acc += (int32_t)w[ic] * ((int32_t)x[ic] + p->input_offset);
          }
        }
        if (bias) acc += bias[oc];
        acc = fp_multiply_by_quantized_multiplier(acc, p->multipliers[oc], p->shifts[oc]) + p->output_offset;
        out[oc] = (int8_t)fp_clamp(acc, p->act_min, p->act_max);
      }
    }
  }
}
