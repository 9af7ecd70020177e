/* Raw data block: the window itself as features, every value multiplied by a scale. */
#ifndef IK_RAW_H
#define IK_RAW_H

#include "../common/dsp.h"

typedef struct {
    /* Values in the window (frames × axes). */
    uint32_t values;
    float scale;
} ik_raw_config;

/* No scratch. Returns IK_DSP_OK, or IK_DSP_ERR_NULL. */
int ik_raw_run(const ik_raw_config *cfg, const float *input, float *output);

#endif /* IK_RAW_H */
