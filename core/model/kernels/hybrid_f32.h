/*
 * hybrid_f32 — TFLite's hybrid (dynamic range quantized) CONV_2D and FULLY_CONNECTED: float
 * activations, int8 weights with one scale, float bias (twin of hybrid.ts). The float input is
 * quantized symmetrically at run time into `quantized` (as many int8 values as the input has).
 */
#ifndef IMPULSE_HYBRID_F32_H
#define IMPULSE_HYBRID_F32_H

#include <stdint.h>
#include "conv2d_f32.h"
#include "fully_connected_f32.h"

/* int8 values of x (size n) with scale max|x| / 127 (1 for all zeros); returns the scale. */
float symmetric_quantize_f32(const float *x, int32_t n, int8_t *quantized);

void conv2d_hybrid_f32(const conv2d_f32_params_t *p, float weight_scale, const float *input, const int8_t *weights, const float *bias, int8_t *quantized, float *output);
void fully_connected_hybrid_f32(const fully_connected_f32_params_t *p, float weight_scale, const float *input, const int8_t *weights, const float *bias, int8_t *quantized, float *output);

#endif
