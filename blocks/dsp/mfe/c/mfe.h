/*
 * MFE block (Edge Impulse MFE, implementation version 4): mel filterbank energies per frame of one
 * audio window, in dB above a noise floor, scaled to 0..1 and quantised to multiples of 1/256.
 * Input: raw int16-scale samples. Output: frames × num_filters.
 */
#ifndef IK_MFE_H
#define IK_MFE_H

#include "../common/dsp.h"
#include "../common/fft.h"
#include "../common/mel.h"

typedef struct {
    uint32_t samples;
    uint32_t frames;
    uint32_t frame_length;
    uint32_t frame_stride;
    const ik_rfft_plan *fft;
    const ik_mel_bank *mel;
    /*
     * Quantisation of a mel energy e (all derived from noiseFloorDb at build time):
     *   e < energy_floor → 0;  e > energy_ceil → 255/256;
     *   else round_half_even(clip(ln(e)·log_gain + log_offset, 0, 256)) / 256, 256 clamped to 255.
     * log_gain·ln(e) + log_offset = 256·(10·log10(e) − noiseFloorDb) / (−noiseFloorDb + 12).
     */
    float energy_floor;
    float energy_ceil;
    float log_gain;
    float log_offset;
    /* Every value of a frame of digital silence (mel energies at the zero-handling 1e-10). */
    float silent_value;
} ik_mfe_config;

/* Scratch: n + n/2 + 1 floats, n = fft->n. Returns IK_DSP_OK, or IK_DSP_ERR_NULL. */
int ik_mfe_run(const ik_mfe_config *cfg, const float *input, float *output, float *scratch);

#endif /* IK_MFE_H */
