/* quantize — conversions between float and int8 as TFLite's AffineQuantize / Requantize / Dequantize. */
#include <math.h>
#include "quantize.h"
#include "fixed_point.h"

int8_t quantize_value_s8(float x, float scale, int32_t zero_point) {
  float q;
  if (x != x) return (int8_t)zero_point; /* NaN */
  q = roundf(x / scale) + (float)zero_point;
  /* Compare as float before converting: x / scale may be far outside the int32 range. */
  if (q <= -128.0f) return -128;
  if (q >= 127.0f) return 127;
  return (int8_t)(int32_t)q;
}

void quantize_f32_s8(int32_t size, float scale, int32_t zero_point, const float *input, int8_t *output) {
  int32_t i;
  for (i = 0; i < size; i++) output[i] = quantize_value_s8(input[i], scale, zero_point);
}

void requantize_s8(int32_t size, int32_t input_zero_point, int32_t output_zero_point, int32_t multiplier, int32_t shift, const int8_t *input, int8_t *output) {
  int32_t i;
  for (i = 0; i < size; i++) {
    const int32_t v = fp_multiply_by_quantized_multiplier((int32_t)input[i] - input_zero_point, multiplier, shift) + output_zero_point;
    output[i] = (int8_t)fp_clamp(v, -128, 127);
  }
}

void dequantize_s8_f32(int32_t size, float scale, int32_t zero_point, const int8_t *input, float *output) {
  int32_t i;
  for (i = 0; i < size; i++) output[i] = scale * (float)((int32_t)input[i] - zero_point);
}
