/*
 * K-means anomaly score: the Euclidean distance, in standardised units, from a feature row to the
 * nearest cluster centre of the training data (higher is more unusual).
 */
#ifndef IK_ANOMALY_KMEANS_H
#define IK_ANOMALY_KMEANS_H

#include <stdint.h>

typedef struct {
    /* Features per row (d) and clusters (k). */
    uint32_t features;
    uint32_t clusters;
    /* d each: training mean and standard deviation per feature (rows are standardised first). */
    const float *mean;
    const float *std;
    /* k × d, row-major: cluster centres in standardised units. */
    const float *centroids;
} ik_kmeans_model;

/* min_j ‖(x − mean) / std − centroid_j‖. scratch: d floats. */
float ik_kmeans_score(const ik_kmeans_model *model, const float *features, float *scratch);

#endif /* IK_ANOMALY_KMEANS_H */
