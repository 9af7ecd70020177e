/* Spectral analysis (see spectral.h). */
#include "../common/math32.h"
#include "../common/stats.h"
#include "../common/wavelet.h"
#include "spectral.h"

static uint32_t max_u32(uint32_t a, uint32_t b)
{
    return a > b ? a : b;
}

/* Coefficients of the first decomposition level (0 at level 0). */
static uint32_t first_level_length(const ik_spectral_config *cfg)
{
    return cfg->wavelet_level > 0 ? ik_dwt_length(cfg->length, cfg->wavelet_taps) : 0;
}

uint32_t ik_spectral_scratch_floats(const ik_spectral_config *cfg)
{
    if (cfg->analysis == IK_SPECTRAL_FFT) {
        uint32_t n = cfg->fft->n;
        return cfg->samples + n + 2 * (n / 2 + 1) + max_u32(cfg->samples, n / 2 + 1);
    } else {
        uint32_t l1 = first_level_length(cfg);
        return cfg->samples + 2 * l1 + 2 * max_u32(cfg->length, l1) + IK_WAVELET_HISTOGRAM_FLOATS;
    }
}

/* Buffers of the FFT analysis, carved from scratch after the axis buffer. */
typedef struct {
    float *work;   /* n: one segment, then its FFT */
    float *power;  /* n/2 + 1: the segment's power spectrum */
    float *hold;   /* n/2 + 1: the max-hold spectrum */
    float *tmp;    /* max(samples, n/2 + 1): terms of sums */
} fft_buffers;

/* hold[k] = max over segments of |rfft(segment)|²/n; segments of n samples every hop, zero-padded. */
static void welch_max_hold(const ik_spectral_config *cfg, const float *x, uint32_t len, const fft_buffers *b)
{
    uint32_t n = cfg->fft->n;
    uint32_t bins = n / 2 + 1;
    uint32_t ix, i, k;
    for (k = 0; k < bins; k++) {
        b->hold[k] = 0.0f;
    }
    for (ix = 0; ix < len; ix += cfg->hop) {
        uint32_t seg = len - ix < n ? len - ix : n;
        if (ik_all_zero(x + ix, seg)) {
            continue; /* its spectrum is 0: the max-hold does not change */
        }
        for (i = 0; i < seg; i++) {
            b->work[i] = x[ix + i];
        }
        for (; i < n; i++) {
            b->work[i] = 0.0f;
        }
        ik_rfft_power(cfg->fft, b->work, b->power);
        for (k = 0; k < bins; k++) {
            if (b->power[k] > b->hold[k]) {
                b->hold[k] = b->power[k];
            }
        }
    }
}

/*
 * Skewness and kurtosis of the max-hold spectrum. Both are scale-free, so the spectrum is first
 * divided by its largest bin: its fourth powers stay far from float32's range.
 */
static void spectral_shape(const fft_buffers *b, uint32_t bins, float *skewness, float *kurtosis)
{
    float top = 0.0f;
    ik_moments m;
    uint32_t k;
    for (k = 0; k < bins; k++) {
        if (b->hold[k] > top) {
            top = b->hold[k];
        }
    }
    for (k = 0; k < bins; k++) {
        b->work[k] = top > 0.0f ? b->hold[k] / top : 0.0f;
    }
    ik_moments_of(b->work, bins, b->tmp, &m);
    *skewness = m.skewness;
    *kurtosis = m.kurtosis;
}

/* RMS, skewness, kurtosis, spectral skewness and kurtosis, then the power bins of `range`. */
static void fft_features(const ik_spectral_config *cfg, const float *x, uint32_t len, ik_bin_range range, const fft_buffers *b, float *out)
{
    uint32_t bins = cfg->fft->n / 2 + 1;
    ik_moments m;
    uint32_t k;
    out[0] = ik_rms(x, len, b->tmp);
    ik_moments_of(x, len, b->tmp, &m);
    out[1] = m.skewness;
    out[2] = m.kurtosis;
    welch_max_hold(cfg, x, len, b);
    spectral_shape(b, bins, &out[3], &out[4]);
    for (k = range.start; k < range.stop; k++) {
        float p = b->hold[k];
        out[5 + k - range.start] = cfg->do_log ? ik_log10f(p == 0.0f ? 1e-10f : p) : p;
    }
}

/* x[i] −= mean(x) (float32, numpy's mean). */
static void remove_mean(float *x, uint32_t len)
{
    float m = ik_mean(x, len);
    uint32_t i;
    for (i = 0; i < len; i++) {
        x[i] -= m;
    }
}

/* Wavelet decomposition of one axis; x (samples floats) is overwritten. */
static void wavelet_axis(const ik_spectral_config *cfg, float *x, uint32_t len, float *scratch_after_x, float *out)
{
    uint32_t level = cfg->wavelet_level;
    uint32_t l1 = first_level_length(cfg);
    uint32_t longest = max_u32(cfg->length, l1);
    float *spare = scratch_after_x;         /* l1: approximations of odd levels */
    float *detail = spare + l1;             /* l1 */
    float *sorted = detail + l1;            /* longest */
    float *tmp = sorted + longest;          /* longest */
    float *histogram = tmp + longest;       /* IK_WAVELET_HISTOGRAM_FLOATS */
    float *cur = x;
    uint32_t cur_len = len;
    uint32_t l;
    for (l = 1; l <= level; l++) {
        float *next = (l % 2 == 1) ? spare : x;
        uint32_t next_len = ik_dwt_length(cur_len, cfg->wavelet_taps);
        uint32_t slot = level - l + 1; /* output order: cA_level, cD_level, …, cD_1 */
        ik_dwt_step(cur, cur_len, cfg->wavelet_lo, cfg->wavelet_hi, cfg->wavelet_taps, next, detail);
        ik_wavelet_features(detail, next_len, cfg->percentile_index + 5 * slot, sorted, tmp, histogram, out + IK_WAVELET_FEATURES * slot);
        cur = next;
        cur_len = next_len;
    }
    ik_wavelet_features(cur, cur_len, cfg->percentile_index, sorted, tmp, histogram, out);
}

int ik_spectral_run(const ik_spectral_config *cfg, const float *input, float *output, float *scratch)
{
    float *x = scratch; /* samples floats: one axis */
    uint32_t a, i, s;
    if (input == NULL || output == NULL || scratch == NULL) {
        return IK_DSP_ERR_NULL;
    }
    for (a = 0; a < cfg->axes; a++) {
        float *out = output + a * cfg->features_per_axis;
        uint32_t len = cfg->samples;
        float offset = 0.0f; /* what the decimation stages took out of x (see ik_decimate) */
        for (i = 0; i < cfg->samples; i++) {
            x[i] = input[i * cfg->axes + a] * cfg->scale;
        }
        for (s = 0; s < cfg->decimator_count; s++) {
            len = ik_decimate(&cfg->decimators[s], x, len, &offset);
        }
        if (cfg->filter_sections > 0) {
            /* the filter starts from rest: it must see the constant the decimation took out */
            if (offset != 0.0f) {
                for (i = 0; i < len; i++) {
                    x[i] += offset;
                }
            }
            ik_sosfilt(cfg->filter, cfg->filter_sections, x, len);
        }
        /* (without a filter the decimation's constant offset goes with the mean) */
        remove_mean(x, len);
        if (cfg->analysis == IK_SPECTRAL_WAVELET) {
            wavelet_axis(cfg, x, len, x + cfg->samples, out);
        } else {
            uint32_t n = cfg->fft->n;
            fft_buffers b;
            b.work = x + cfg->samples;
            b.power = b.work + n;
            b.hold = b.power + n / 2 + 1;
            b.tmp = b.hold + n / 2 + 1;
            fft_features(cfg, x, len, cfg->bins, &b, out);
            if (cfg->lf_decimator != NULL) {
                float *lf_out = output + cfg->axes * cfg->features_per_axis + a * cfg->lf_features_per_axis;
                float lf_offset = 0.0f; /* a constant: removed with the mean */
                len = ik_decimate(cfg->lf_decimator, x, len, &lf_offset);
                remove_mean(x, len);
                fft_features(cfg, x, len, cfg->lf_bins, &b, lf_out);
            }
        }
    }
    return IK_DSP_OK;
}
