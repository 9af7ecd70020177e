/*
 * Flatten block: per axis of a [frames × axes] window (axes interleaved per frame), the enabled
 * statistics of the scaled values, in this order: average, minimum, maximum, RMS, stdev
 * (population), skewness, kurtosis (Fisher, biased). A constant axis gives skewness = kurtosis = 0.
 */
#ifndef IK_FLATTEN_H
#define IK_FLATTEN_H

#include "../common/dsp.h"

/* Bits of ik_flatten_config.stats, one per statistic, in output order. */
#define IK_FLATTEN_AVERAGE  (1u << 0)
#define IK_FLATTEN_MINIMUM  (1u << 1)
#define IK_FLATTEN_MAXIMUM  (1u << 2)
#define IK_FLATTEN_RMS      (1u << 3)
#define IK_FLATTEN_STDEV    (1u << 4)
#define IK_FLATTEN_SKEWNESS (1u << 5)
#define IK_FLATTEN_KURTOSIS (1u << 6)

typedef struct {
    uint32_t frames;
    uint32_t axes;
    float scale;
    /* IK_FLATTEN_* bits of the enabled statistics. */
    uint32_t stats;
} ik_flatten_config;

/* Scratch: 2·frames floats. Returns IK_DSP_OK, or IK_DSP_ERR_NULL. */
int ik_flatten_run(const ik_flatten_config *cfg, const float *input, float *output, float *scratch);

#endif /* IK_FLATTEN_H */
