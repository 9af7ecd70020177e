/*
 * Spectrogram block (Edge Impulse spectrogram, implementation version 4): per frame of one window,
 * the power spectrum in dB above a noise floor, (10·log10(p) − noiseFloorDb) / (−noiseFloorDb + 12),
 * clipped below at 0 (not above: v4 has no upper clip). Output: frames × (n/2 + 1).
 */
#ifndef IK_SPECTROGRAM_H
#define IK_SPECTROGRAM_H

#include "../common/dsp.h"
#include "../common/fft.h"

typedef struct {
    uint32_t frames;
    uint32_t frame_length;
    uint32_t frame_stride;
    const ik_rfft_plan *fft;
    /* Powers below this give 0 (no log needed); from noiseFloorDb at build time. */
    float power_floor;
    /* value = ln(p)·log_gain + log_offset, then clipped below at 0. */
    float log_gain;
    float log_offset;
} ik_spectrogram_config;

/* Scratch: n floats, n = fft->n (the power spectrum goes straight into the output row).
 * Returns IK_DSP_OK, or IK_DSP_ERR_NULL. */
int ik_spectrogram_run(const ik_spectrogram_config *cfg, const float *input, float *output, float *scratch);

#endif /* IK_SPECTROGRAM_H */
