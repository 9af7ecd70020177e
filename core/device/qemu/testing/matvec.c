/*
 * int8 matrix-vector product with TFLite-style requantization: the same C runs on the host (gcc)
 * and on the emulated Cortex-M4F, and the outputs must match exactly. Weights and bias come from
 * matvec_weights.c (written by the test); the input from input.bin (read through semihosting on
 * the board, from the working folder on the host). Prints one output per line.
 */
#include <stdint.h>
#include <stdio.h>

#include "probe.h"

#ifndef ROWS
#define ROWS 100
#endif
#ifndef COLS
#define COLS 1000
#endif
#ifndef REPEAT
#define REPEAT 1
#endif

extern const int8_t matvec_weights[ROWS * COLS];
extern const int32_t matvec_bias[ROWS];

static int8_t input[COLS];
static int8_t output[ROWS];

/* Rounding doubling high multiply and rounding shift, as TFLite's int8 kernels requantize. */
static int32_t requantize(int32_t acc, int32_t multiplier, int shift) {
  int64_t prod = (int64_t)acc * multiplier;
  int32_t high = (int32_t)((prod + ((int64_t)1 << 30)) >> 31);
  int32_t round = (int32_t)1 << (shift - 1);
  return (high + round) >> shift;
}

__attribute__((noinline)) static void matvec_s8(const int8_t *w, const int32_t *bias, const int8_t *x, int8_t *y, int32_t input_offset,
                                                int32_t multiplier, int shift, int32_t output_offset) {
  for (int r = 0; r < ROWS; r++) {
    int32_t acc = bias[r];
    const int8_t *row = w + (size_t)r * COLS;
    for (int c = 0; c < COLS; c++) acc += (int32_t)row[c] * ((int32_t)x[c] + input_offset);
    int32_t v = requantize(acc, multiplier, shift) + output_offset;
    y[r] = (int8_t)(v < -128 ? -128 : v > 127 ? 127 : v);
  }
}

int main(void) {
  FILE *f = fopen("input.bin", "rb");
  if (!f || fread(input, 1, COLS, f) != COLS) {
    fprintf(stderr, "cannot read %d bytes from input.bin\n", COLS);
    return 2;
  }
  fclose(f);
  for (int k = 0; k < REPEAT; k++) {
    IMPULSE_PROBE_BEGIN(0);
    matvec_s8(matvec_weights, matvec_bias, input, output, 3, 1518500250, 9, -5);
    IMPULSE_PROBE_END(0);
  }
  for (int r = 0; r < ROWS; r++) printf("%d\n", output[r]);
  return 0;
}
