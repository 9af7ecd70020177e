/* Sparse mel filterbank (see mel.h). */
#include "mel.h"

void ik_mel_energies(const ik_mel_bank *bank, const float *power, float *energies)
{
    uint32_t i;
    for (i = 0; i < bank->num_filters; i++) {
        const float *p = power + bank->first_bin[i];
        const float *w = bank->weights + bank->offset[i];
        uint32_t taps = bank->offset[i + 1] - bank->offset[i];
        float acc = 0.0f;
        uint32_t k;
        for (k = 0; k < taps; k++) {
            acc += p[k] * w[k];
        }
        energies[i] = acc == 0.0f ? 1e-10f : acc;
    }
}
