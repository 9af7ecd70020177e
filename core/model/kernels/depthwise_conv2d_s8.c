/*
 * depthwise_conv2d_s8 — int8 DEPTHWISE_CONV_2D (TFLite Micro reference DepthwiseConvPerChannel):
 * output channel oc = ic * depth_multiplier + m reads input channel ic only.
 */
#include "depthwise_conv2d_s8.h"
#include "fixed_point.h"

void depthwise_conv2d_s8(const depthwise_conv2d_s8_params_t *p, const int8_t *input, const int8_t *weights, const int32_t *bias, int8_t *output) {
  int32_t oy, ox, ic, m, ky, kx;
  for (oy = 0; oy < p->out_h; oy++) {
    const int32_t in_y0 = oy * p->stride_h - p->pad_top;
    for (ox = 0; ox < p->out_w; ox++) {
      const int32_t in_x0 = ox * p->stride_w - p->pad_left;
      int8_t *out = output + (oy * p->out_w + ox) * p->out_c;
      for (ic = 0; ic < p->in_c; ic++) {
        for (m = 0; m < p->depth_multiplier; m++) {
          const int32_t oc = ic * p->depth_multiplier + m;
          int32_t acc = 0;
          for (ky = 0; ky < p->k_h; ky++) {
            const int32_t iy = in_y0 + ky * p->dilation_h;
            if (iy < 0 || iy >= p->in_h) continue;
            for (kx = 0; kx < p->k_w; kx++) {
              const int32_t ix = in_x0 + kx * p->dilation_w;
              if (ix < 0 || ix >= p->in_w) continue;
              acc += (int32_t)weights[(ky * p->k_w + kx) * p->out_c + oc] * ((int32_t)input[(iy * p->in_w + ix) * p->in_c + ic] + p->input_offset);
            }
          }
          if (bias) acc += bias[oc];
          acc = fp_multiply_by_quantized_multiplier(acc, p->multipliers[oc], p->shifts[oc]) + p->output_offset;
          out[oc] = (int8_t)fp_clamp(acc, p->act_min, p->act_max);
        }
      }
    }
  }
}
