/*
 * IIR filters as cascades of second-order sections (biquads), designed at build time
 * (scipy.signal's butter / cheby1 'sos' design) and run in direct form II transposed, like
 * scipy.signal.sosfilt, in float32.
 */
#ifndef IK_COMMON_IIR_H
#define IK_COMMON_IIR_H

#include "dsp.h"

/* Most sections a cascade may have (order 8). */
#define IK_IIR_MAX_SECTIONS 4

/* One section: H(z) = (b0 + b1·z⁻¹ + b2·z⁻²) / (1 + a1·z⁻¹ + a2·z⁻²). */
typedef struct {
    float b0, b1, b2, a1, a2;
} ik_biquad;

/* In place: x[i] ← the cascade's output for x[0 .. n), every section starting from rest.
 * sections ≤ IK_IIR_MAX_SECTIONS. */
void ik_sosfilt(const ik_biquad *sos, uint32_t sections, float *x, uint32_t n);

/*
 * The reference's decimate_simple: a Chebyshev I low-pass (order 8, 0.05 dB ripple, cut-off
 * 0.8/ratio) started in its steady state for x[0], then every ratio-th sample.
 */
typedef struct {
    uint32_t ratio;
    uint32_t sections;
    const ik_biquad *sos;
    /* Gain of the cascade at 0 Hz (an even-order Chebyshev I is 1/√(1 + ε²) there, not 1). */
    float dc_gain;
} ik_decimator;

/*
 * In place on a signal given as x + *offset (a constant, 0 for a fresh signal): afterwards
 * x[0 .. ceil(n / ratio)) + *offset is the reference's decimate() of it. Returns the new length.
 *
 * The filter runs from rest on x − x[0]; by linearity the steady-state start of the reference adds
 * the constant dc_gain·(*offset + x[0]), which goes to *offset instead of into x: in float32 a
 * signal sitting on a large constant (gravity on an accelerometer axis) would otherwise lose its
 * small variations to rounding inside the filter. Chained stages carry *offset along; callers that
 * remove the mean afterwards can drop it.
 */
uint32_t ik_decimate(const ik_decimator *d, float *x, uint32_t n, float *offset);

#endif /* IK_COMMON_IIR_H */
