/* add_f32 — y = clamp(a + b). */
#include "add_f32.h"

void add_f32(const add_f32_params_t *p, const float *a, const float *b, float *output) {
  int32_t i;
  for (i = 0; i < p->size; i++) {
    const float v = a[i] + b[i];
    output[i] = v < p->act_min ? p->act_min : (v > p->act_max ? p->act_max : v);
  }
}
