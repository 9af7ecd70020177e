/* softmax_f32 — float SOFTMAX over the last dimension (twin of softmax.ts, softmaxFloat). */
#ifndef IMPULSE_SOFTMAX_F32_H
#define IMPULSE_SOFTMAX_F32_H

#include <stdint.h>

typedef struct {
  int32_t rows, depth;
  float beta;
} softmax_f32_params_t;

void softmax_f32(const softmax_f32_params_t *p, const float *input, float *output);

#endif
