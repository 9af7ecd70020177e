/* pool_s8 — int8 MAX_POOL_2D / AVERAGE_POOL_2D (and global average pool), NHWC, batch 1 (twin of pool.ts). */
#ifndef IMPULSE_POOL_S8_H
#define IMPULSE_POOL_S8_H

#include <stdint.h>

typedef struct {
  int32_t in_h, in_w, channels;
  int32_t out_h, out_w;
  int32_t k_h, k_w, stride_h, stride_w;
  int32_t pad_top, pad_left;
  int32_t act_min, act_max;
} pool_s8_params_t;

/* Input and output share scale and zero point: no requantization. */
void max_pool_s8(const pool_s8_params_t *p, const int8_t *input, int8_t *output);
/* Sum of the taps inside the image / their count, rounded half away from zero. */
void avg_pool_s8(const pool_s8_params_t *p, const int8_t *input, int8_t *output);

#endif
