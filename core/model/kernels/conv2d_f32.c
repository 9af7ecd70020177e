/* conv2d_f32 — float CONV_2D: y = clamp(bias[oc] + sum of w * x over the taps inside the image). */
#include "conv2d_f32.h"

void conv2d_f32(const conv2d_f32_params_t *p, const float *input, const float *weights, const float *bias, float *output) {
  int32_t oy, ox, oc, ky, kx, ic;
  for (oy = 0; oy < p->out_h; oy++) {
    const int32_t in_y0 = oy * p->stride_h - p->pad_top;
    for (ox = 0; ox < p->out_w; ox++) {
      const int32_t in_x0 = ox * p->stride_w - p->pad_left;
      float *out = output + (oy * p->out_w + ox) * p->out_c;
      for (oc = 0; oc < p->out_c; oc++) {
        float acc = bias ? bias[oc] : 0.0f;
        for (ky = 0; ky < p->k_h; ky++) {
          const int32_t iy = in_y0 + ky * p->dilation_h;
          if (iy < 0 || iy >= p->in_h) continue;
          for (kx = 0; kx < p->k_w; kx++) {
            const int32_t ix = in_x0 + kx * p->dilation_w;
            const float *x;
            const float *w;
            if (ix < 0 || ix >= p->in_w) continue;
            x = input + (iy * p->in_w + ix) * p->in_c;
            w = weights + ((oc * p->k_h + ky) * p->k_w + kx) * p->in_c;
            for (ic = 0; ic < p->in_c; ic++) acc += x[ic] * w[ic];
          }
        }
        out[oc] = acc < p->act_min ? p->act_min : (acc > p->act_max ? p->act_max : acc);
      }
    }
  }
}
