/* data_movement — CONCATENATION and PAD on raw bytes (any element type; twin of data-movement.ts). */
#ifndef IMPULSE_DATA_MOVEMENT_H
#define IMPULSE_DATA_MOVEMENT_H

#include <stddef.h>
#include <stdint.h>

/* Concatenation of `count` inputs: for each of `outer` slices, inputs[k] contributes chunk_bytes[k] bytes. */
void concat_bytes(int32_t outer, int32_t count, const uint8_t *const *inputs, const int32_t *chunk_bytes, uint8_t *output);

/* Padding of a tensor of rank <= 4 ([d0, d1, d2, d3], leading 1s for lower ranks), elements of elem_bytes bytes, with pad_value bytes. */
typedef struct {
  int32_t in_shape[4];
  int32_t out_shape[4];
  int32_t before[4];
  int32_t elem_bytes;
} pad_params_t;

void pad_bytes(const pad_params_t *p, const uint8_t *input, const uint8_t *pad_value, uint8_t *output);

#endif
