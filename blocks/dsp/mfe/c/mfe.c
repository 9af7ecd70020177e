/* MFE (see mfe.h). */
#include "../common/math32.h"
#include "mfe.h"

/* Pre-emphasis coefficient of MFE v4 (float32, as the reference computes it). */
#define MFE_PRE_COF 0.98f
/* int16 full scale: samples are divided by it first. */
#define MFE_FULL_SCALE (1.0f / 32768.0f)

/*
 * work[0 .. n) ← frame starting at `start` of y[i] = x[i]/2^15 − 0.98·x[i−1]/2^15 (float32, the
 * first sample using the last: numpy.roll), cropped or zero-padded. Returns 0 for an all-zero frame.
 */
static int load_frame(const ik_mfe_config *cfg, const float *x, uint32_t start, float *work)
{
    uint32_t n = cfg->fft->n;
    uint32_t len = cfg->frame_length < n ? cfg->frame_length : n;
    uint32_t i = 0;
    if (start == 0 && len > 0) {
        /* numpy.roll: the first sample of the window uses its last one */
        work[0] = x[0] * MFE_FULL_SCALE - MFE_PRE_COF * (x[cfg->samples - 1] * MFE_FULL_SCALE);
        i = 1;
    }
    for (; i < len; i++) {
        work[i] = x[start + i] * MFE_FULL_SCALE - MFE_PRE_COF * (x[start + i - 1] * MFE_FULL_SCALE);
    }
    for (; i < n; i++) {
        work[i] = 0.0f;
    }
    return !ik_all_zero(work, len);
}

/* numpy.round of v ∈ [0, 256]: to the nearest integer, halves to the even one (no libm, independent of
 * the FPU rounding mode: the conversion truncates, which is floor for v ≥ 0, and v − floor is exact). */
static float round_half_even(float v)
{
    uint32_t whole = (uint32_t)v;
    float fraction = v - (float)whole;
    if (fraction > 0.5f || (fraction == 0.5f && (whole & 1u) != 0u)) {
        whole++;
    }
    return (float)whole;
}

static float quantise(const ik_mfe_config *cfg, float e)
{
    float v;
    if (e < cfg->energy_floor) {
        return 0.0f;
    }
    if (e > cfg->energy_ceil) {
        return 255.0f / 256.0f;
    }
    v = ik_logf(e) * cfg->log_gain + cfg->log_offset;
    v = v < 0.0f ? 0.0f : v > 256.0f ? 256.0f : v;
    v = round_half_even(v);
    return (v > 255.0f ? 255.0f : v) / 256.0f;
}

int ik_mfe_run(const ik_mfe_config *cfg, const float *input, float *output, float *scratch)
{
    uint32_t n = cfg->fft->n;
    uint32_t nf = cfg->mel->num_filters;
    float *work = scratch;       /* n floats */
    float *power = work + n;     /* n/2 + 1 floats */
    uint32_t f, k;
    if (input == NULL || output == NULL || scratch == NULL) {
        return IK_DSP_ERR_NULL;
    }
    for (f = 0; f < cfg->frames; f++) {
        float *row = output + f * nf;
        if (!load_frame(cfg, input, f * cfg->frame_stride, work)) {
            for (k = 0; k < nf; k++) {
                row[k] = cfg->silent_value;
            }
            continue;
        }
        ik_rfft_power(cfg->fft, work, power);
        ik_mel_energies(cfg->mel, power, row);
        for (k = 0; k < nf; k++) {
            row[k] = quantise(cfg, row[k]);
        }
    }
    return IK_DSP_OK;
}
