/* softmax_f32 — exp(beta * (x - max)) / sum, per row. */
#include <math.h>
#include "softmax_f32.h"

void softmax_f32(const softmax_f32_params_t *p, const float *input, float *output) {
  int32_t r, c;
  for (r = 0; r < p->rows; r++) {
    const float *x = input + r * p->depth;
    float *y = output + r * p->depth;
    float max = x[0];
    float sum = 0.0f;
    for (c = 1; c < p->depth; c++) if (x[c] > max) max = x[c];
    for (c = 0; c < p->depth; c++) {
      y[c] = expf((x[c] - max) * p->beta);
      sum += y[c];
    }
    for (c = 0; c < p->depth; c++) y[c] /= sum;
  }
}
