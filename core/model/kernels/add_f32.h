/* add_f32 — float ADD of two tensors of one shape (twin of add.ts, addFloat). */
#ifndef IMPULSE_ADD_F32_H
#define IMPULSE_ADD_F32_H

#include <stdint.h>

typedef struct {
  int32_t size;
  float act_min, act_max;
} add_f32_params_t;

void add_f32(const add_f32_params_t *p, const float *a, const float *b, float *output);

#endif
