/*
 * impulse.h — micro_speech: the public API of the generated library (impulse-kit).
 * C99, no heap, no interpreter: call impulse_init() once, then impulse_run() per window.
 */
#ifndef IMPULSE_H
#define IMPULSE_H

#include <stddef.h>
#include <stdint.h>
#include "impulse_metadata.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  IMPULSE_OK = 0,
  IMPULSE_ERR_NULL_POINTER = -1,        /* a pointer argument is NULL */
  IMPULSE_ERR_INPUT_LENGTH = -2,        /* len is not the length the function takes */
  IMPULSE_ERR_INPUT_NOT_FINITE = -3,    /* the input holds NaN or +-Inf */
  IMPULSE_ERR_FEATURES_NOT_FINITE = -4, /* the DSP blocks produced NaN or +-Inf (input far outside anything seen in training) */
  IMPULSE_ERR_DSP = -5,                 /* a DSP block reported a failure */
  IMPULSE_ERR_NOT_INITIALIZED = -6,     /* impulse_init() has not been called */
  IMPULSE_ERR_SCORES_NOT_FINITE = -7    /* the network produced NaN or +-Inf (features far outside anything seen in training) */
} impulse_status_t;

/* A clock for per-block timing: any monotonic counter (cycles, microseconds …). */
typedef uint32_t (*impulse_clock_fn)(void);

typedef struct {
  /* Classification: one score per label (impulse_labels order). Regression: scores[0] is the value. */
  float scores[IMPULSE_SCORE_COUNT];
  /* Classification: index of the highest score. */
  size_t top;
  /* Anomaly score (0 when the impulse has no anomaly block). */
  float anomaly;
  /* Clock ticks spent per DSP block, in the network, in the anomaly block (0 without a clock). */
  uint32_t dsp_ticks[IMPULSE_DSP_BLOCK_COUNT > 0 ? IMPULSE_DSP_BLOCK_COUNT : 1];
  uint32_t network_ticks;
  uint32_t anomaly_ticks;
} impulse_result_t;

/* Prepares the library (clears the arena). Returns IMPULSE_OK. */
impulse_status_t impulse_init(void);

/* Sets the clock read before and after each block (NULL: no timing). */
void impulse_set_clock(impulse_clock_fn clock);

/* Classifies one window of IMPULSE_INPUT_LENGTH floats (the model input). */
impulse_status_t impulse_run(const float *signal, size_t len, impulse_result_t *out);

/* Only the DSP blocks: writes the IMPULSE_FEATURE_COUNT features of one window. */
impulse_status_t impulse_run_dsp(const float *signal, size_t len, float *features, size_t features_len);

/* Only the learn blocks, on IMPULSE_FEATURE_COUNT features computed elsewhere. */
impulse_status_t impulse_run_features(const float *features, size_t len, impulse_result_t *out);

/* The int8 network on already quantized input (IMPULSE_NETWORK_INPUT_SCALE / _ZERO_POINT); writes its raw int8 outputs. */
impulse_status_t impulse_run_quantized(const int8_t *input, size_t len, int8_t *output, size_t output_len);

/* A short English description of a status. */
const char *impulse_status_message(impulse_status_t status);

#ifdef __cplusplus
}
#endif

#endif
