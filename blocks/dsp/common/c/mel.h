/*
 * Triangular mel filterbank applied to a power spectrum, stored sparsely: filter i has
 * `offset[i+1] − offset[i]` non-zero weights starting at FFT bin `first_bin[i]`.
 */
#ifndef IK_COMMON_MEL_H
#define IK_COMMON_MEL_H

#include "dsp.h"

typedef struct {
    uint32_t num_filters;
    /* num_filters entries: FFT bin of each filter's first weight. */
    const uint16_t *first_bin;
    /* num_filters + 1 entries: filter i's weights are weights[offset[i] .. offset[i+1]). */
    const uint32_t *offset;
    const float *weights;
} ik_mel_bank;

/* energies[i] = Σ_k power[first_bin[i] + k]·weights[offset[i] + k]; a zero energy becomes 1e-10
 * (the reference's zero handling, so a log of it is finite). */
void ik_mel_energies(const ik_mel_bank *bank, const float *power, float *energies);

#endif /* IK_COMMON_MEL_H */
