/* softmax_s8 — int8 SOFTMAX over the last dimension; output scale 1/256, zero point -128 (twin of softmax.ts). */
#ifndef IMPULSE_SOFTMAX_S8_H
#define IMPULSE_SOFTMAX_S8_H

#include <stdint.h>

typedef struct {
  int32_t rows, depth;
  int32_t input_multiplier;   /* beta * input_scale * 2^26 as significand ... */
  int32_t input_left_shift;   /* ... and left shift */
  int32_t diff_min;           /* differences to the row max below this give exp = 0 */
} softmax_s8_params_t;

void softmax_s8(const softmax_s8_params_t *p, const int8_t *input, int8_t *output);

#endif
