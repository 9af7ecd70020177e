/*
 * Spectral analysis block (Edge Impulse spectral analysis, implementation version 4): per axis of a
 * [samples × axes] window (axes interleaved per row), scale, optional decimation, optional
 * Butterworth filter, mean removal, then either
 *   FFT:     RMS, skewness, kurtosis, spectral skewness, spectral kurtosis, then the Welch max-hold
 *            power bins [bins.start, bins.stop) (log10 of them when do_log; a zero power gives −10);
 *   wavelet: 14 statistics of each coefficient array of a wavelet decomposition.
 * Output is axis-major; the extra low-frequency features of every axis (FFT of the signal
 * decimated by 10 once more) come after all axes.
 */
#ifndef IK_SPECTRAL_H
#define IK_SPECTRAL_H

#include "../common/dsp.h"
#include "../common/fft.h"
#include "../common/iir.h"

typedef enum {
    IK_SPECTRAL_FFT = 0,
    IK_SPECTRAL_WAVELET = 1
} ik_spectral_analysis;

/* FFT power bins kept: [start, stop). */
typedef struct {
    uint32_t start;
    uint32_t stop;
} ik_bin_range;

typedef struct {
    /* Rows and axes of the input window. */
    uint32_t samples;
    uint32_t axes;
    /* Every input value is multiplied by this first. */
    float scale;
    /* Decimation stages (0 .. 3), applied in order, and the samples per axis after them. */
    uint32_t decimator_count;
    const ik_decimator *decimators;
    uint32_t length;
    /* Butterworth filter sections (0: no filter). */
    uint32_t filter_sections;
    const ik_biquad *filter;
    ik_spectral_analysis analysis;
    /* Features per axis (and per axis of the low-frequency part, 0 without it). */
    uint32_t features_per_axis;
    uint32_t lf_features_per_axis;

    /* FFT analysis: segments of fft->n samples every `hop` samples, trailing ones zero-padded. */
    const ik_rfft_plan *fft;
    uint32_t hop;
    int do_log;
    ik_bin_range bins;
    /* Extra low frequency: decimate the mean-removed signal by 10 (lf_decimator) and analyse it too. */
    const ik_decimator *lf_decimator;
    ik_bin_range lf_bins;

    /* Wavelet analysis: decomposition level, filters (taps each) and, per coefficient array in
     * output order (cA_level, cD_level, …, cD_1), the 5 sorted positions of its percentiles. */
    uint32_t wavelet_level;
    uint32_t wavelet_taps;
    const float *wavelet_lo;
    const float *wavelet_hi;
    const uint32_t *percentile_index;
} ik_spectral_config;

/*
 * Scratch floats (also computed by the generator):
 *   FFT:     samples + n + 2·(n/2 + 1) + max(samples, n/2 + 1)
 *   wavelet: samples + 2·L1 + 2·max(length, L1) + 201, L1 = coefficients of level 1 (0 at level 0)
 */
uint32_t ik_spectral_scratch_floats(const ik_spectral_config *cfg);

/* Returns IK_DSP_OK, or IK_DSP_ERR_NULL for a null pointer. */
int ik_spectral_run(const ik_spectral_config *cfg, const float *input, float *output, float *scratch);

#endif /* IK_SPECTRAL_H */
