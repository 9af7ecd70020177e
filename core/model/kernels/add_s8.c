/* add_s8 — TFLite Micro reference AddElementwise: inputs shifted left, rescaled, summed, rescaled. */
#include "add_s8.h"
#include "fixed_point.h"

void add_s8(const add_s8_params_t *p, const int8_t *a, const int8_t *b, int8_t *output) {
  int32_t i;
  for (i = 0; i < p->size; i++) {
    const int32_t x1 = fp_multiply_by_quantized_multiplier_smaller_than_one(((int32_t)a[i] + p->input1_offset) * (1 << p->left_shift), p->input1_multiplier, p->input1_shift);
    const int32_t x2 = fp_multiply_by_quantized_multiplier_smaller_than_one(((int32_t)b[i] + p->input2_offset) * (1 << p->left_shift), p->input2_multiplier, p->input2_shift);
    const int32_t raw = fp_multiply_by_quantized_multiplier_smaller_than_one(fp_add_wrap(x1, x2), p->output_multiplier, p->output_shift) + p->output_offset;
    output[i] = (int8_t)fp_clamp(raw, p->act_min, p->act_max);
  }
}
