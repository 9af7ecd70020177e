/* data_movement — concatenation and padding as byte copies. */
#include <string.h>
#include "data_movement.h"

void concat_bytes(int32_t outer, int32_t count, const uint8_t *const *inputs, const int32_t *chunk_bytes, uint8_t *output) {
  int32_t o, k;
  for (o = 0; o < outer; o++) {
    for (k = 0; k < count; k++) {
      memcpy(output, inputs[k] + (size_t)o * (size_t)chunk_bytes[k], (size_t)chunk_bytes[k]);
      output += chunk_bytes[k];
    }
  }
}

void pad_bytes(const pad_params_t *p, const uint8_t *input, const uint8_t *pad_value, uint8_t *output) {
  const int32_t e = p->elem_bytes;
  int32_t total = p->out_shape[0] * p->out_shape[1] * p->out_shape[2] * p->out_shape[3];
  int32_t i, a, b, c;
  for (i = 0; i < total; i++) memcpy(output + (size_t)i * (size_t)e, pad_value, (size_t)e);
  for (a = 0; a < p->in_shape[0]; a++) {
    for (b = 0; b < p->in_shape[1]; b++) {
      for (c = 0; c < p->in_shape[2]; c++) {
        const int32_t out_row = (((a + p->before[0]) * p->out_shape[1] + b + p->before[1]) * p->out_shape[2] + c + p->before[2]) * p->out_shape[3] + p->before[3];
        const int32_t in_row = ((a * p->in_shape[1] + b) * p->in_shape[2] + c) * p->in_shape[3];
        memcpy(output + (size_t)out_row * (size_t)e, input + (size_t)in_row * (size_t)e, (size_t)p->in_shape[3] * (size_t)e);
      }
    }
  }
}
