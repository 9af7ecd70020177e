/* Raw data (see raw.h). */
#include "raw.h"

int ik_raw_run(const ik_raw_config *cfg, const float *input, float *output)
{
    uint32_t i;
    if (input == NULL || output == NULL) {
        return IK_DSP_ERR_NULL;
    }
    if (cfg->scale == 1.0f) {
        for (i = 0; i < cfg->values; i++) {
            output[i] = input[i];
        }
    } else {
        for (i = 0; i < cfg->values; i++) {
            output[i] = input[i] * cfg->scale;
        }
    }
    return IK_DSP_OK;
}
