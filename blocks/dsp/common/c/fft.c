/*
 * Real FFT power spectrum: an n/2-point complex FFT plus a split step (see fft.h).
 *
 * Complex values are stored as (re, im) float pairs: z[2j] is Re z_j, z[2j+1] is Im z_j.
 * For n = 256: bit reversal, 1 radix-2 and 3 radix-4 stages over 128 points, then 64 split steps.
 */
#include "fft.h"

/* Puts z_j at position bitrev(j): the order a decimation-in-time FFT reads. */
static void bit_reverse(float *z, const uint16_t *bitrev, uint32_t m)
{
    uint32_t j;
    for (j = 0; j < m; j++) {
        uint32_t r = bitrev[j];
        if (j < r) {
            float re = z[2 * j];
            float im = z[2 * j + 1];
            z[2 * j] = z[2 * r];
            z[2 * j + 1] = z[2 * r + 1];
            z[2 * r] = re;
            z[2 * r + 1] = im;
        }
    }
}

/*
 * First radix-4 stage: 4-point DFTs of consecutive points (all twiddles are 1).
 *   X0 = (a + b) + (c + d)   X2 = (a + b) − (c + d)
 *   X1 = (a − b) − i(c − d)  X3 = (a − b) + i(c − d)
 * (a, b, c, d are in bit-reversed order, hence b pairs with a first.)
 */
static void radix4_first_stage(float *z, uint32_t m)
{
    uint32_t g;
    for (g = 0; g < m; g += 4) {
        float *p = z + 2 * g;
        float s0r = p[0] + p[2], s0i = p[1] + p[3];
        float s1r = p[0] - p[2], s1i = p[1] - p[3];
        float s2r = p[4] + p[6], s2i = p[5] + p[7];
        float s3r = p[4] - p[6], s3i = p[5] - p[7];
        p[0] = s0r + s2r;
        p[1] = s0i + s2i;
        p[4] = s0r - s2r;
        p[5] = s0i - s2i;
        p[2] = s1r + s3i;
        p[3] = s1i - s3r;
        p[6] = s1r - s3i;
        p[7] = s1i + s3r;
    }
}

/*
 * One radix-4 stage: combines four consecutive DFTs of `quarter` points (Q0..Q3) into one of
 * 4·quarter points. With W = W_{4·quarter} and k < quarter:
 *   q1 = W^2k·Q1[k], q2 = W^k·Q2[k], q3 = W^3k·Q3[k]
 *   X[k]      = (Q0 + q1) + (q2 + q3)   X[k + 2q] = (Q0 + q1) − (q2 + q3)
 *   X[k + q]  = (Q0 − q1) − i(q2 − q3)  X[k + 3q] = (Q0 − q1) + i(q2 − q3)
 * W^j of this stage is W_m^(j·stride), stride = m / (4·quarter).
 */
static void radix4_stage(float *z, uint32_t m, uint32_t quarter, const float *twiddle)
{
    uint32_t stride = m / (4 * quarter);
    uint32_t k, base;
    /* k outer: the three twiddles of k serve every group of the stage */
    for (k = 0; k < quarter; k++) {
        const float *w1 = twiddle + 2 * (k * stride);
        const float *w2 = twiddle + 2 * (2 * k * stride);
        const float *w3 = twiddle + 2 * (3 * k * stride);
        float w1r = w1[0], w1i = w1[1];
        float w2r = w2[0], w2i = w2[1];
        float w3r = w3[0], w3i = w3[1];
        for (base = k; base < m; base += 4 * quarter) {
            float *a = z + 2 * base;
            float *b = a + 2 * quarter;
            float *c = b + 2 * quarter;
            float *d = c + 2 * quarter;
            float q1r = w2r * b[0] - w2i * b[1], q1i = w2r * b[1] + w2i * b[0];
            float q2r = w1r * c[0] - w1i * c[1], q2i = w1r * c[1] + w1i * c[0];
            float q3r = w3r * d[0] - w3i * d[1], q3i = w3r * d[1] + w3i * d[0];
            float s0r = a[0] + q1r, s0i = a[1] + q1i;
            float s1r = a[0] - q1r, s1i = a[1] - q1i;
            float s2r = q2r + q3r, s2i = q2i + q3i;
            float s3r = q2r - q3r, s3i = q2i - q3i;
            a[0] = s0r + s2r;
            a[1] = s0i + s2i;
            c[0] = s0r - s2r;
            c[1] = s0i - s2i;
            b[0] = s1r + s3i;
            b[1] = s1i - s3r;
            d[0] = s1r - s3i;
            d[1] = s1i + s3r;
        }
    }
}

/*
 * First stage when log2(m) is odd: 2-point DFTs of consecutive points (twiddle 1: no products),
 * X0 = a + b, X1 = a − b; every later stage is radix-4. (A radix-2 stage with twiddles at the end
 * instead is a unit-stride loop of complex products, which gcc 12 at -O3 on x86 with FMA vectorizes
 * into fused multiply-adds even under -ffp-contract=off: other bits than the TS.)
 */
static void radix2_first_stage(float *z, uint32_t m)
{
    uint32_t g;
    for (g = 0; g < m; g += 2) {
        float *p = z + 2 * g;
        float ar = p[0], ai = p[1];
        float br = p[2], bi = p[3];
        p[0] = ar + br;
        p[1] = ai + bi;
        p[2] = ar - br;
        p[3] = ai - bi;
    }
}

/* 1 when m (a power of two) is an odd power of two: 2, 8, 32, 128 … */
static int odd_power_of_two(uint32_t m)
{
    int odd = 0;
    while (m > 1u) {
        m >>= 1;
        odd = !odd;
    }
    return odd;
}

/* In-place m-point complex FFT (natural order in and out). */
static void complex_fft(const ik_rfft_plan *plan, float *z, uint32_t m)
{
    uint32_t quarter = 1; /* points of the DFTs done so far */
    bit_reverse(z, plan->bitrev, m);
    if (odd_power_of_two(m)) {
        radix2_first_stage(z, m);
        quarter = 2;
    } else if (m >= 4) {
        radix4_first_stage(z, m);
        quarter = 4;
    }
    while (4 * quarter <= m) {
        radix4_stage(z, m, quarter, plan->twiddle);
        quarter *= 4;
    }
}

/*
 * Z (m complex points) → power of the m + 1 real bins. Bins k and m − k come from the same pair
 * Z[k], Z[m − k]; with e = Z[k] + conj Z[m−k], d = Z[k] − conj Z[m−k] and t = −i·W_n^k·d:
 *   2·X[k] = e + t,   2·X[m−k] = conj(e − t).
 * The ½ is folded into the power scale (exact: n is a power of two).
 */
static float split_power(const float *z, uint32_t m, const float *split, float *power)
{
    const float scale = 1.0f / (float)(2 * m);     /* 1/n */
    const float half_scale = 0.25f * scale;        /* (½)²/n */
    float dc = z[0] + z[1];
    float nyquist = z[0] - z[1];
    float energy;
    uint32_t k;
    power[0] = dc * dc * scale;
    power[m] = nyquist * nyquist * scale;
    energy = power[0] + power[m];
    for (k = 1; 2 * k <= m; k++) {
        uint32_t mk = m - k;
        float zr = z[2 * k], zi = z[2 * k + 1];
        float cr = z[2 * mk], ci = -z[2 * mk + 1];     /* conj Z[m−k] */
        float er = zr + cr, ei = zi + ci;
        float dr = zr - cr, di = zi - ci;
        float wr = split[2 * k], wi = split[2 * k + 1];
        float tr = di * wr + dr * wi;                 /* t = −i·W^k·d */
        float ti = di * wi - dr * wr;
        float ar = er + tr, ai = ei + ti;             /* 2·X[k] */
        power[k] = (ar * ar + ai * ai) * half_scale;
        energy += power[k];
        if (mk != k) {
            float br = er - tr, bi = ti - ei;         /* 2·X[m−k] */
            power[mk] = (br * br + bi * bi) * half_scale;
            energy += power[mk];
        }
    }
    return energy;
}

float ik_rfft_power(const ik_rfft_plan *plan, float *work, float *power)
{
    uint32_t m = plan->n / 2;
    complex_fft(plan, work, m);
    return split_power(work, m, plan->split, power);
}

int ik_all_zero(const float *v, uint32_t n)
{
    uint32_t i;
    for (i = 0; i < n; i++) {
        if (v[i] != 0.0f) {
            return 0;
        }
    }
    return 1;
}
