/* hybrid_f32 — y = (float)acc * (input scale * weight scale) + bias, acc the int8 x int8 dot product. */
#include <math.h>
#include "hybrid_f32.h"

#define SYMMETRIC_MAX 127

static float clampf(float v, float lo, float hi) { return v < lo ? lo : (v > hi ? hi : v); }

float symmetric_quantize_f32(const float *x, int32_t n, int8_t *quantized) {
  float min = x[0], max = x[0], range, scale, inverse;
  int32_t i;
  for (i = 1; i < n; i++) {
    if (x[i] < min) min = x[i];
    if (x[i] > max) max = x[i];
  }
  range = fabsf(min) > fabsf(max) ? fabsf(min) : fabsf(max);
  if (range == 0.0f) {
    for (i = 0; i < n; i++) quantized[i] = 0;
    return 1.0f;
  }
  scale = range / (float)SYMMETRIC_MAX;
  inverse = (float)SYMMETRIC_MAX / range;
  for (i = 0; i < n; i++) {
    const float q = roundf(x[i] * inverse);
    /* compared as floats before the conversion; NaN (an overflowed activation) becomes 0, as in the TS twin */
    quantized[i] = (int8_t)(q > (float)SYMMETRIC_MAX ? SYMMETRIC_MAX : (q < -(float)SYMMETRIC_MAX ? -SYMMETRIC_MAX : (q == q ? (int32_t)q : 0)));
  }
  return scale;
}

void conv2d_hybrid_f32(const conv2d_f32_params_t *p, float weight_scale, const float *input, const int8_t *weights, const float *bias, int8_t *quantized, float *output) {
  const float scale = symmetric_quantize_f32(input, p->in_h * p->in_w * p->in_c, quantized) * weight_scale;
  int32_t oy, ox, oc, ky, kx, ic;
  for (oy = 0; oy < p->out_h; oy++) {
    const int32_t in_y0 = oy * p->stride_h - p->pad_top;
    for (ox = 0; ox < p->out_w; ox++) {
      const int32_t in_x0 = ox * p->stride_w - p->pad_left;
      float *out = output + (oy * p->out_w + ox) * p->out_c;
      for (oc = 0; oc < p->out_c; oc++) {
        int32_t acc = 0;
        float y;
        for (ky = 0; ky < p->k_h; ky++) {
          const int32_t iy = in_y0 + ky * p->dilation_h;
          if (iy < 0 || iy >= p->in_h) continue;
          for (kx = 0; kx < p->k_w; kx++) {
            const int32_t ix = in_x0 + kx * p->dilation_w;
            const int8_t *x;
            const int8_t *w;
            if (ix < 0 || ix >= p->in_w) continue;
            x = quantized + (iy * p->in_w + ix) * p->in_c;
            w = weights + ((oc * p->k_h + ky) * p->k_w + kx) * p->in_c;
            for (ic = 0; ic < p->in_c; ic++) acc += (int32_t)w[ic] * (int32_t)x[ic];
          }
        }
        y = (float)acc * scale;
        if (bias) y += bias[oc];
        out[oc] = clampf(y, p->act_min, p->act_max);
      }
    }
  }
}

void fully_connected_hybrid_f32(const fully_connected_f32_params_t *p, float weight_scale, const float *input, const int8_t *weights, const float *bias, int8_t *quantized, float *output) {
  int32_t r, o, i;
  for (r = 0; r < p->rows; r++) {
    int8_t *q = quantized + r * p->in_units;
    const float scale = symmetric_quantize_f32(input + r * p->in_units, p->in_units, q) * weight_scale;
    for (o = 0; o < p->out_units; o++) {
      const int8_t *w = weights + o * p->in_units;
      int32_t acc = 0;
      float y;
      for (i = 0; i < p->in_units; i++) acc += (int32_t)w[i] * (int32_t)q[i];
      y = (float)acc * scale;
      if (bias) y = bias[o] + y;
      output[r * p->out_units + o] = clampf(y, p->act_min, p->act_max);
    }
  }
}
