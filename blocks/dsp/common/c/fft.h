/*
 * Power spectrum of a real frame, |rfft(frame, n)|² / n, with a real FFT of n points.
 *
 * The n real samples are read as m = n/2 complex points z[j] = x[2j] + i·x[2j+1], transformed by
 * an m-point complex FFT (decimation in time: bit-reversal permutation, a radix-2 first stage when
 * log2(m) is odd, radix-4 stages) and split into the m + 1 bins of the real spectrum:
 *   X[k] = ½·(Z[k] + conj Z[m−k]) − ½·i·W_n^k·(Z[k] − conj Z[m−k]),  W_n = e^(−2πi/n).
 * Every table is generated at build time for the block's n: no trigonometry at run time.
 */
#ifndef IK_COMMON_FFT_H
#define IK_COMMON_FFT_H

#include "dsp.h"

typedef struct {
    /* Real FFT points: a power of two, 2 .. 65536. */
    uint32_t n;
    /* m = n/2 entries: j with its log2(m) bits reversed. */
    const uint16_t *bitrev;
    /* (re, im) pairs of W_m^j = e^(−2πi·j/m) for the complex FFT's radix-4 stages (j < 3m/4). */
    const float *twiddle;
    /* (re, im) pairs of W_n^k = e^(−2πi·k/n), k = 0 .. n/4, for the split into real bins. */
    const float *split;
} ik_rfft_plan;

/*
 * work:  n floats; on entry the frame in natural order (cropped / zero-padded by the caller),
 *        destroyed on return.
 * power: n/2 + 1 floats; power[k] = |X[k]|² / n for k = 0 .. n/2.
 * Returns the sum of the power bins (the frame energy).
 */
float ik_rfft_power(const ik_rfft_plan *plan, float *work, float *power);

/*
 * 1 when every value of v[0 .. n) is 0: a frame of digital silence, whose power spectrum is 0
 * without an FFT (zero-padded windows end in many). Stops at the first non-zero value.
 */
int ik_all_zero(const float *v, uint32_t n);

#endif /* IK_COMMON_FFT_H */
