/* depthwise_conv2d_f32 — float DEPTHWISE_CONV_2D, NHWC, batch 1 (twin of depthwise-conv2d.ts, depthwiseFloat). */
#ifndef IMPULSE_DEPTHWISE_CONV2D_F32_H
#define IMPULSE_DEPTHWISE_CONV2D_F32_H

#include <stdint.h>

typedef struct {
  int32_t in_h, in_w, in_c;
  int32_t out_h, out_w, out_c;
  int32_t depth_multiplier;
  int32_t k_h, k_w;              /* weights [1, k_h, k_w, out_c] */
  int32_t stride_h, stride_w, dilation_h, dilation_w;
  int32_t pad_top, pad_left;
  float act_min, act_max;
} depthwise_conv2d_f32_params_t;

void depthwise_conv2d_f32(const depthwise_conv2d_f32_params_t *p, const float *input, const float *weights, const float *bias, float *output);

#endif
