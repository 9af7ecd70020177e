/* add_s8 — int8 ADD of two tensors of one shape (twin of add.ts, addInt8). */
#ifndef IMPULSE_ADD_S8_H
#define IMPULSE_ADD_S8_H

#include <stdint.h>

typedef struct {
  int32_t size;
  int32_t left_shift;                       /* 20 for int8 */
  int32_t input1_offset, input2_offset, output_offset;
  int32_t input1_multiplier, input1_shift;  /* input scale / (2 * max input scale) */
  int32_t input2_multiplier, input2_shift;
  int32_t output_multiplier, output_shift;  /* 2 * max input scale / (2^left_shift * output scale) */
  int32_t act_min, act_max;
} add_s8_params_t;

void add_s8(const add_s8_params_t *p, const int8_t *a, const int8_t *b, int8_t *output);

#endif
