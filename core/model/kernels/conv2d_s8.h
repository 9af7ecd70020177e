/* conv2d_s8 — int8 CONV_2D, NHWC, batch 1 (twin of conv2d.ts, conv2dInt8). */
#ifndef IMPULSE_CONV2D_S8_H
#define IMPULSE_CONV2D_S8_H

#include <stdint.h>

typedef struct {
  int32_t in_h, in_w, in_c;      /* input  [1, in_h, in_w, in_c] */
  int32_t out_h, out_w, out_c;   /* output [1, out_h, out_w, out_c] */
  int32_t k_h, k_w;              /* weights [out_c, k_h, k_w, in_c] */
  int32_t stride_h, stride_w, dilation_h, dilation_w;
  int32_t pad_top, pad_left;
  int32_t input_offset;          /* -input zero point */
  int32_t output_offset;         /* output zero point */
  int32_t act_min, act_max;      /* fused activation bounds, in output units */
  const int32_t *multipliers;    /* [out_c] requantization significands (Q0.31) */
  const int32_t *shifts;         /* [out_c] their power-of-two exponents */
} conv2d_s8_params_t;

/* bias: [out_c] int32 with scale input_scale * weight_scale[c], or NULL. */
void conv2d_s8(const conv2d_s8_params_t *p, const int8_t *input, const int8_t *weights, const int32_t *bias, int8_t *output);

#endif
