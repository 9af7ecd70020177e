/* depthwise_conv2d_f32 — float DEPTHWISE_CONV_2D: output channel ic * depth_multiplier + m reads input channel ic. */
#include "depthwise_conv2d_f32.h"

void depthwise_conv2d_f32(const depthwise_conv2d_f32_params_t *p, const float *input, const float *weights, const float *bias, float *output) {
  int32_t oy, ox, ic, m, ky, kx;
  for (oy = 0; oy < p->out_h; oy++) {
    const int32_t in_y0 = oy * p->stride_h - p->pad_top;
    for (ox = 0; ox < p->out_w; ox++) {
      const int32_t in_x0 = ox * p->stride_w - p->pad_left;
      float *out = output + (oy * p->out_w + ox) * p->out_c;
      for (ic = 0; ic < p->in_c; ic++) {
        for (m = 0; m < p->depth_multiplier; m++) {
          const int32_t oc = ic * p->depth_multiplier + m;
          /* From the bias, column by column: the order (and rounding) of the TS twin. */
          float acc = bias ? bias[oc] : 0.0f;
          for (kx = 0; kx < p->k_w; kx++) {
            const int32_t ix = in_x0 + kx * p->dilation_w;
            if (ix < 0 || ix >= p->in_w) continue;
            for (ky = 0; ky < p->k_h; ky++) {
              const int32_t iy = in_y0 + ky * p->dilation_h;
              if (iy < 0 || iy >= p->in_h) continue;
              acc += input[(iy * p->in_w + ix) * p->in_c + ic] * weights[(ky * p->k_w + kx) * p->out_c + oc];
            }
          }
          out[oc] = acc < p->act_min ? p->act_min : (acc > p->act_max ? p->act_max : acc);
        }
      }
    }
  }
}
