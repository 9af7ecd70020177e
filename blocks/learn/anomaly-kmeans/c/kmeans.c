/* K-means anomaly score (see kmeans.h). */
#include <math.h>

#include "kmeans.h"

float ik_kmeans_score(const ik_kmeans_model *model, const float *features, float *scratch)
{
    uint32_t d = model->features;
    float *z = scratch; /* d floats: the standardised row */
    float best = INFINITY;
    uint32_t j, t;
    for (t = 0; t < d; t++) {
        z[t] = (features[t] - model->mean[t]) / model->std[t];
    }
    for (j = 0; j < model->clusters; j++) {
        const float *c = model->centroids + j * d;
        float dist2 = 0.0f;
        for (t = 0; t < d; t++) {
            float v = z[t] - c[t];
            dist2 += v * v;
        }
        if (dist2 < best) {
            best = dist2;
        }
    }
    return sqrtf(best);
}
