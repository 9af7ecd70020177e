/* Spectrogram (see spectrogram.h). */
#include "../common/math32.h"
#include "spectrogram.h"

/* work[0 .. n) ← the frame, cropped or zero-padded; returns 0 when it is all zero. */
static int load_frame(const float *x, uint32_t start, uint32_t frame_length, uint32_t n, float *work)
{
    uint32_t len = frame_length < n ? frame_length : n;
    uint32_t i;
    for (i = 0; i < len; i++) {
        work[i] = x[start + i];
    }
    for (; i < n; i++) {
        work[i] = 0.0f;
    }
    return !ik_all_zero(work, len);
}

int ik_spectrogram_run(const ik_spectrogram_config *cfg, const float *input, float *output, float *scratch)
{
    uint32_t n = cfg->fft->n;
    uint32_t bins = n / 2 + 1;
    uint32_t f, k;
    if (input == NULL || output == NULL || scratch == NULL) {
        return IK_DSP_ERR_NULL;
    }
    for (f = 0; f < cfg->frames; f++) {
        float *row = output + f * bins;
        if (!load_frame(input, f * cfg->frame_stride, cfg->frame_length, n, scratch)) {
            for (k = 0; k < bins; k++) {
                row[k] = 0.0f;
            }
            continue;
        }
        ik_rfft_power(cfg->fft, scratch, row);
        for (k = 0; k < bins; k++) {
            float p = row[k];
            float v;
            if (p < cfg->power_floor) {
                row[k] = 0.0f;
                continue;
            }
            v = ik_logf(p) * cfg->log_gain + cfg->log_offset;
            row[k] = v < 0.0f ? 0.0f : v;
        }
    }
    return IK_DSP_OK;
}
