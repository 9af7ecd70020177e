/* quantize — QUANTIZE (float -> int8, int8 -> int8) and DEQUANTIZE (int8 -> float) (twin of data-movement.ts). */
#ifndef IMPULSE_QUANTIZE_H
#define IMPULSE_QUANTIZE_H

#include <stdint.h>

/* round(x / scale) (float32 division, ties away from zero) + zero_point, saturated to int8; NaN -> zero_point. */
int8_t quantize_value_s8(float x, float scale, int32_t zero_point);
void quantize_f32_s8(int32_t size, float scale, int32_t zero_point, const float *input, int8_t *output);
/* y = zero point_out + MultiplyByQuantizedMultiplier(x - zero point_in, multiplier, shift), saturated. */
void requantize_s8(int32_t size, int32_t input_zero_point, int32_t output_zero_point, int32_t multiplier, int32_t shift, const int8_t *input, int8_t *output);
/* y = scale * (x - zero_point). */
void dequantize_s8_f32(int32_t size, float scale, int32_t zero_point, const int8_t *input, float *output);

#endif
