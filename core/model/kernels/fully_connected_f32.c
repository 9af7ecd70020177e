/* fully_connected_f32 — float FULLY_CONNECTED: y[r,o] = clamp(bias[o] + sum_i x[r,i] * w[o,i]). */
#include "fully_connected_f32.h"

void fully_connected_f32(const fully_connected_f32_params_t *p, const float *input, const float *weights, const float *bias, float *output) {
  int32_t r, o, i;
  for (r = 0; r < p->rows; r++) {
    const float *x = input + r * p->in_units;
    for (o = 0; o < p->out_units; o++) {
      const float *w = weights + o * p->in_units;
      float acc = bias ? bias[o] : 0.0f;
      for (i = 0; i < p->in_units; i++) acc += x[i] * w[i];
      output[r * p->out_units + o] = acc < p->act_min ? p->act_min : (acc > p->act_max ? p->act_max : acc);
    }
  }
}
