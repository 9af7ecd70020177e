/* Biquad cascades and decimation (see iir.h). */
#include "iir.h"

void ik_sosfilt(const ik_biquad *sos, uint32_t sections, float *x, uint32_t n)
{
    /* z[2s], z[2s+1]: the two delay elements of section s */
    float z[2 * IK_IIR_MAX_SECTIONS] = { 0.0f };
    uint32_t i, s;
    if (sections > IK_IIR_MAX_SECTIONS) {
        sections = IK_IIR_MAX_SECTIONS; /* the generator never emits more */
    }
    for (i = 0; i < n; i++) {
        float v = x[i];
        for (s = 0; s < sections; s++) {
            const ik_biquad *c = &sos[s];
            float y = c->b0 * v + z[2 * s];
            z[2 * s] = (c->b1 * v - c->a1 * y) + z[2 * s + 1];
            z[2 * s + 1] = c->b2 * v - c->a2 * y;
            v = y;
        }
        x[i] = v;
    }
}

uint32_t ik_decimate(const ik_decimator *d, float *x, uint32_t n, float *offset)
{
    float first;
    uint32_t i, j;
    if (n == 0) {
        return 0;
    }
    first = x[0];
    for (i = 0; i < n; i++) {
        x[i] -= first;
    }
    ik_sosfilt(d->sos, d->sections, x, n);
    /* every ratio-th sample: j·ratio ≥ j, so reading ahead of writing is safe in place */
    for (i = 0, j = 0; i < n; i += d->ratio, j++) {
        x[j] = x[i];
    }
    *offset = d->dc_gain * (*offset + first);
    return j;
}
