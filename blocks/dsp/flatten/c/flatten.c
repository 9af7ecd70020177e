/* Flatten (see flatten.h). */
#include <math.h>

#include "../common/stats.h"
#include "flatten.h"

int ik_flatten_run(const ik_flatten_config *cfg, const float *input, float *output, float *scratch)
{
    float *centred = scratch;             /* frames floats: (x − x[0])·scale of one axis */
    float *tmp = scratch + cfg->frames;   /* frames floats: the scaled axis, then terms of sums */
    float *out = output;
    uint32_t a, i;
    if (input == NULL || output == NULL || scratch == NULL) {
        return IK_DSP_ERR_NULL;
    }
    for (a = 0; a < cfg->axes; a++) {
        const float first = input[a];
        float lo, hi, average, rms;
        ik_moments m = { 0.0f, 0.0f, 0.0f, 0.0f };
        /*
         * The central moments are computed on the axis minus its first value: a sensor's small
         * variations on a large offset (gravity, a temperature) keep float32's full precision
         * there, as they do in the reference's float64. The shift changes no central moment.
         */
        for (i = 0; i < cfg->frames; i++) {
            float x = input[i * cfg->axes + a];
            tmp[i] = x * cfg->scale;
            centred[i] = (x - first) * cfg->scale;
        }
        lo = tmp[0];
        hi = tmp[0];
        for (i = 1; i < cfg->frames; i++) {
            if (tmp[i] < lo) lo = tmp[i];
            if (tmp[i] > hi) hi = tmp[i];
        }
        average = ik_mean(tmp, cfg->frames);
        rms = ik_rms(tmp, cfg->frames, tmp);
        if (cfg->stats & (IK_FLATTEN_STDEV | IK_FLATTEN_SKEWNESS | IK_FLATTEN_KURTOSIS)) {
            ik_moments_of(centred, cfg->frames, tmp, &m);
        }
        if (cfg->stats & IK_FLATTEN_AVERAGE) *out++ = average;
        if (cfg->stats & IK_FLATTEN_MINIMUM) *out++ = lo;
        if (cfg->stats & IK_FLATTEN_MAXIMUM) *out++ = hi;
        if (cfg->stats & IK_FLATTEN_RMS) *out++ = rms;
        if (cfg->stats & IK_FLATTEN_STDEV) *out++ = sqrtf(m.m2);
        if (cfg->stats & IK_FLATTEN_SKEWNESS) *out++ = m.skewness;
        if (cfg->stats & IK_FLATTEN_KURTOSIS) *out++ = m.kurtosis;
    }
    return IK_DSP_OK;
}
