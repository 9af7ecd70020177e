/* MFCC (see mfcc.h). */
#include "../common/cmvn.h"
#include "../common/dct.h"
#include "../common/math32.h"
#include "mfcc.h"

/*
 * work[0 .. n) ← pre-emphasised frame starting at `start`, cropped or zero-padded to n.
 * Returns 0 when every sample of it is 0 (digital silence: no FFT needed).
 */
static int load_frame(const ik_mfcc_config *cfg, const float *x, uint32_t start, float *work)
{
    uint32_t n = cfg->fft->n;
    uint32_t len = cfg->frame_length < n ? cfg->frame_length : n;
    float c = cfg->pre_cof;
    uint32_t shift = cfg->pre_shift;
    uint32_t i = 0;
    /* the reference's numpy.roll: the first pre_shift samples of the window use its last ones */
    for (; i < len && start + i < shift; i++) {
        work[i] = x[start + i] - c * x[start + i + cfg->samples - shift];
    }
    for (; i < len; i++) {
        work[i] = x[start + i] - c * x[start + i - shift];
    }
    for (; i < n; i++) {
        work[i] = 0.0f;
    }
    return !ik_all_zero(work, len);
}

int ik_mfcc_run(const ik_mfcc_config *cfg, const float *input, float *output, float *scratch)
{
    uint32_t n = cfg->fft->n;
    uint32_t bins = n / 2 + 1;
    uint32_t nc = cfg->num_cepstral;
    uint32_t nf = cfg->mel->num_filters;
    float *work = scratch;          /* n floats: the frame, then the FFT */
    float *power = work + n;        /* n/2 + 1 floats */
    float *mel = power + bins;      /* num_filters floats: log mel energies */
    uint32_t f, k;
    if (input == NULL || output == NULL || scratch == NULL) {
        return IK_DSP_ERR_NULL;
    }
    for (f = 0; f < cfg->frames; f++) {
        float *row = output + f * nc;
        float energy = 0.0f;
        if (load_frame(cfg, input, f * cfg->frame_stride, work)) {
            energy = ik_rfft_power(cfg->fft, work, power);
        } else {
            for (k = 0; k < bins; k++) {
                power[k] = 0.0f;
            }
        }
        ik_mel_energies(cfg->mel, power, mel);
        for (k = 0; k < nf; k++) {
            mel[k] = ik_logf(mel[k]);
        }
        ik_dct_rows(cfg->dct, nc - 1, nf, mel, row + 1);
        row[0] = ik_logf(energy == 0.0f ? 1e-10f : energy);
    }
    if (cfg->cmvn_window > 0) {
        /* the frame buffers are free now: the normalisation's column buffer reuses them */
        ik_cmvn(output, cfg->frames, nc, cfg->cmvn_window, cfg->cmvn_rows, scratch);
    }
    return IK_DSP_OK;
}
