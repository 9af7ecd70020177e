/* depthwise_conv2d_s8 — int8 DEPTHWISE_CONV_2D, NHWC, batch 1 (twin of depthwise-conv2d.ts, depthwiseInt8). */
#ifndef IMPULSE_DEPTHWISE_CONV2D_S8_H
#define IMPULSE_DEPTHWISE_CONV2D_S8_H

#include <stdint.h>

typedef struct {
  int32_t in_h, in_w, in_c;
  int32_t out_h, out_w, out_c;   /* out_c = in_c * depth_multiplier */
  int32_t depth_multiplier;
  int32_t k_h, k_w;              /* weights [1, k_h, k_w, out_c] */
  int32_t stride_h, stride_w, dilation_h, dilation_w;
  int32_t pad_top, pad_left;
  int32_t input_offset, output_offset;
  int32_t act_min, act_max;
  const int32_t *multipliers;    /* [out_c] */
  const int32_t *shifts;         /* [out_c] */
} depthwise_conv2d_s8_params_t;

void depthwise_conv2d_s8(const depthwise_conv2d_s8_params_t *p, const int8_t *input, const int8_t *weights, const int32_t *bias, int8_t *output);

#endif
