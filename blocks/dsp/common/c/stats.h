/*
 * Statistics of a float32 vector computed the way numpy / scipy.stats compute them on a float32
 * array: numpy's pairwise summation (blocks of ≤ 128 summed with 8 accumulators, larger halves
 * recursively), every intermediate rounded to float32. The TS twin (stats.ts) performs the same
 * operations in the same order: the same bits.
 */
#ifndef IK_COMMON_STATS_H
#define IK_COMMON_STATS_H

#include "dsp.h"

/* numpy.sum of a float32 vector. */
float ik_sum(const float *a, uint32_t n);

/* numpy.mean: ik_sum / n. */
float ik_mean(const float *a, uint32_t n);

/* sqrt(mean(a²)). tmp: n floats. */
float ik_rms(const float *a, uint32_t n, float *tmp);

/* numpy.var with ddof: Σ(a − mean)² / (n − ddof). tmp: n floats. */
float ik_variance(const float *a, uint32_t n, uint32_t ddof, float *tmp);

typedef struct {
    float mean;
    /* Biased (population) second central moment. */
    float m2;
    float skewness;
    /* Fisher (excess) kurtosis, biased. */
    float kurtosis;
} ik_moments;

/*
 * scipy.stats.skew / kurtosis (bias=True, Fisher). Where scipy returns NaN — the second moment is
 * zero or lost in rounding (m2 ≤ (1e-6·mean)², a constant vector) — skewness and kurtosis are 0,
 * as in the TS blocks: a model must never see NaN. tmp: n floats.
 */
void ik_moments_of(const float *a, uint32_t n, float *tmp, ik_moments *out);

#endif /* IK_COMMON_STATS_H */
