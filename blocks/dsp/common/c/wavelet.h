/*
 * Discrete wavelet transform (pywt's `dwt`, mode 'symmetric') and the 14 statistics the reference
 * spectral-analysis block computes per coefficient array, in float32 with pywt's / numpy's
 * summation order.
 */
#ifndef IK_COMMON_WAVELET_H
#define IK_COMMON_WAVELET_H

#include "dsp.h"

/* Coefficients per output of one level: floor((n + taps − 1) / 2). */
uint32_t ik_dwt_length(uint32_t n, uint32_t taps);

/*
 * One level: approx[o] = Σ_f lo[f]·x̃[2o + 1 − f], detail[o] likewise with hi, x̃ the input with
 * half-sample symmetric extension. approx and detail: ik_dwt_length(n, taps) floats each.
 */
void ik_dwt_step(const float *x, uint32_t n, const float *lo, const float *hi, uint32_t taps, float *approx, float *detail);

/* Statistics per coefficient array. */
#define IK_WAVELET_FEATURES 14
/* Bins of the entropy histogram. */
#define IK_WAVELET_BINS 100
/* Scratch floats ik_wavelet_features needs besides its two n-float buffers: bin edges and counts. */
#define IK_WAVELET_HISTOGRAM_FLOATS (2 * IK_WAVELET_BINS + 1)

/*
 * out (14 floats): entropy of a 100-bin histogram, zero crossings, mean crossings (per sample),
 * the 5th, 25th, 75th, 95th percentiles and the median, mean, std, var (ddof 1), RMS, skewness,
 * kurtosis. percentile_index: the 5 sorted positions of those percentiles (computed at build
 * time). sorted, tmp: n floats each; histogram: IK_WAVELET_HISTOGRAM_FLOATS floats.
 */
void ik_wavelet_features(const float *x, uint32_t n, const uint32_t percentile_index[5], float *sorted, float *tmp, float *histogram, float *out);

#endif /* IK_COMMON_WAVELET_H */
