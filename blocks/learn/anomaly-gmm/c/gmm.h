/*
 * Gaussian mixture anomaly score: the negative log-likelihood −log p(x) of a feature row under a
 * mixture of Gaussians with diagonal covariances, in standardised units (higher is more unusual).
 */
#ifndef IK_ANOMALY_GMM_H
#define IK_ANOMALY_GMM_H

#include <stdint.h>

typedef struct {
    /* Features per row (d) and components (k). */
    uint32_t features;
    uint32_t components;
    /* d each: training mean and standard deviation per feature (rows are standardised first). */
    const float *mean;
    const float *std;
    /* k: log w_j − ½·(d·log 2π + Σ_t log σ²_jt), the log-density of component j at its mean. */
    const float *log_peak;
    /* k × d, row-major: component means and 1/σ² (standardised units). */
    const float *means;
    const float *inv_variances;
} ik_gmm_model;

/*
 * −log Σ_j exp(log_peak_j − ½·Σ_t (z_t − μ_jt)²/σ²_jt), z = (x − mean)/std, with the log-sum-exp
 * taken around its largest term. scratch: d + k floats.
 */
float ik_gmm_score(const ik_gmm_model *model, const float *features, float *scratch);

#endif /* IK_ANOMALY_GMM_H */
