/* Gaussian mixture anomaly score (see gmm.h). */
#include <math.h>

#include "../common/math32.h"
#include "gmm.h"

float ik_gmm_score(const ik_gmm_model *model, const float *features, float *scratch)
{
    uint32_t d = model->features;
    uint32_t k = model->components;
    float *z = scratch;         /* d floats: the standardised row */
    float *logp = scratch + d;  /* k floats: log w_j + log N(z | μ_j, σ²_j) */
    float top = -INFINITY, sum = 0.0f;
    uint32_t j, t;
    for (t = 0; t < d; t++) {
        z[t] = (features[t] - model->mean[t]) / model->std[t];
    }
    for (j = 0; j < k; j++) {
        const float *mu = model->means + j * d;
        const float *iv = model->inv_variances + j * d;
        float q = 0.0f;
        for (t = 0; t < d; t++) {
            float v = z[t] - mu[t];
            q += v * v * iv[t];
        }
        logp[j] = model->log_peak[j] - 0.5f * q;
        if (logp[j] > top) {
            top = logp[j];
        }
    }
    for (j = 0; j < k; j++) {
        sum += ik_expf(logp[j] - top);
    }
    return -(top + ik_logf(sum));
}
