/* fully_connected_f32 — float FULLY_CONNECTED (twin of fully-connected.ts, fullyConnectedFloat). */
#ifndef IMPULSE_FULLY_CONNECTED_F32_H
#define IMPULSE_FULLY_CONNECTED_F32_H

#include <stdint.h>

typedef struct {
  int32_t rows, in_units, out_units;  /* input [rows, in_units], weights [out_units, in_units] */
  float act_min, act_max;
} fully_connected_f32_params_t;

void fully_connected_f32(const fully_connected_f32_params_t *p, const float *input, const float *weights, const float *bias, float *output);

#endif
