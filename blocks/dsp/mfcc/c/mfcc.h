/*
 * MFCC block (Edge Impulse MFCC, implementation version 4): per frame of one audio window,
 * pre-emphasis (wrapping around the window), power spectrum, mel filterbank energies, natural log,
 * DCT-II (orthonormal) with c0 replaced by the log frame energy, then sliding-window cepstral mean
 * and variance normalisation. Input: raw int16-scale samples. Output: frames × num_cepstral.
 */
#ifndef IK_MFCC_H
#define IK_MFCC_H

#include "../common/dsp.h"
#include "../common/fft.h"
#include "../common/mel.h"

typedef struct {
    /* Samples in the input window. */
    uint32_t samples;
    /* Frames in the output; frame f covers samples [f·frame_stride, f·frame_stride + frame_length). */
    uint32_t frames;
    uint32_t frame_length;
    uint32_t frame_stride;
    /* Pre-emphasis y[i] = x[i] − pre_cof·x[i − pre_shift], indices wrapping around the window. */
    float pre_cof;
    uint32_t pre_shift;
    /* FFT of fft->n points; frames are cropped or zero-padded to it. */
    const ik_rfft_plan *fft;
    const ik_mel_bank *mel;
    /* Coefficients per frame (≥ 1). */
    uint32_t num_cepstral;
    /* Rows 1 .. num_cepstral − 1 of the DCT-II (row 0 is replaced by the log energy):
     * (num_cepstral − 1) × mel->num_filters floats. */
    const float *dct;
    /* Frames in the normalisation window (odd), 0: no normalisation. */
    uint32_t cmvn_window;
    /* frames + cmvn_window − 1 entries: the frame each padded position of the normalisation
     * reads (numpy 'symmetric' padding); NULL without normalisation. */
    const uint16_t *cmvn_rows;
} ik_mfcc_config;

/*
 * Scratch: max(n + n/2 + 1 + num_filters, frames when normalising) floats, n = fft->n.
 * Returns IK_DSP_OK, or IK_DSP_ERR_NULL for a null pointer.
 */
int ik_mfcc_run(const ik_mfcc_config *cfg, const float *input, float *output, float *scratch);

#endif /* IK_MFCC_H */
