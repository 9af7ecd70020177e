/* fully_connected_s8 — int8 FULLY_CONNECTED (twin of fully-connected.ts, fullyConnectedInt8). */
#ifndef IMPULSE_FULLY_CONNECTED_S8_H
#define IMPULSE_FULLY_CONNECTED_S8_H

#include <stdint.h>

typedef struct {
  int32_t rows, in_units, out_units;  /* input [rows, in_units], weights [out_units, in_units] */
  int32_t input_offset, filter_offset, output_offset;
  int32_t act_min, act_max;
  int32_t per_unit;                   /* 1: one multiplier per output unit; 0: one for the layer */
  const int32_t *multipliers;
  const int32_t *shifts;
} fully_connected_s8_params_t;

void fully_connected_s8(const fully_connected_s8_params_t *p, const int8_t *input, const int8_t *weights, const int32_t *bias, int8_t *output);

#endif
