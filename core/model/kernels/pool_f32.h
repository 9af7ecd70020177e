/* pool_f32 — float MAX_POOL_2D / AVERAGE_POOL_2D (and global average pool), NHWC, batch 1 (twin of pool.ts). */
#ifndef IMPULSE_POOL_F32_H
#define IMPULSE_POOL_F32_H

#include <stdint.h>

typedef struct {
  int32_t in_h, in_w, channels;
  int32_t out_h, out_w;
  int32_t k_h, k_w, stride_h, stride_w;
  int32_t pad_top, pad_left;
  float act_min, act_max;
} pool_f32_params_t;

void max_pool_f32(const pool_f32_params_t *p, const float *input, float *output);
void avg_pool_f32(const pool_f32_params_t *p, const float *input, float *output);

#endif
