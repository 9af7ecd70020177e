/*
 * fully_connected_s8 — int8 FULLY_CONNECTED (TFLite Micro reference FullyConnected):
 *   acc = bias[o] + sum_i (w[o,i] + filter_offset) * (x[i] + input_offset), then requantized.
 */
#include "fully_connected_s8.h"
#include "fixed_point.h"

void fully_connected_s8(const fully_connected_s8_params_t *p, const int8_t *input, const int8_t *weights, const int32_t *bias, int8_t *output) {
  int32_t r, o, i;
  for (r = 0; r < p->rows; r++) {
    const int8_t *x = input + r * p->in_units;
    for (o = 0; o < p->out_units; o++) {
      const int8_t *w = weights + o * p->in_units;
      const int32_t k = p->per_unit ? o : 0;
      int32_t acc = 0;
      for (i = 0; i < p->in_units; i++) acc += ((int32_t)w[i] + p->filter_offset) * ((int32_t)x[i] + p->input_offset);
      if (bias) acc += bias[o];
      acc = fp_multiply_by_quantized_multiplier(acc, p->multipliers[k], p->shifts[k]) + p->output_offset;
      output[r * p->out_units + o] = (int8_t)fp_clamp(acc, p->act_min, p->act_max);
    }
  }
}
