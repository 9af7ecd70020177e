/* numpy-order float32 statistics (see stats.h). */
#include <math.h>

#include "stats.h"

/* numpy's pairwise_sum for float32: recursion depth is log2(n / 128). */
static float pairwise_sum(const float *a, uint32_t n)
{
    if (n < 8) {
        float res = 0.0f;
        uint32_t i;
        for (i = 0; i < n; i++) {
            res += a[i];
        }
        return res;
    }
    if (n <= 128) {
        float r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3];
        float r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7];
        uint32_t end = n - n % 8;
        uint32_t i;
        float res;
        for (i = 8; i < end; i += 8) {
            r0 += a[i];
            r1 += a[i + 1];
            r2 += a[i + 2];
            r3 += a[i + 3];
            r4 += a[i + 4];
            r5 += a[i + 5];
            r6 += a[i + 6];
            r7 += a[i + 7];
        }
        res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
        for (; i < n; i++) {
            res += a[i];
        }
        return res;
    } else {
        uint32_t half = n / 2;
        half -= half % 8;
        return pairwise_sum(a, half) + pairwise_sum(a + half, n - half);
    }
}

float ik_sum(const float *a, uint32_t n)
{
    return 0.0f + pairwise_sum(a, n);
}

float ik_mean(const float *a, uint32_t n)
{
    return ik_sum(a, n) / (float)n;
}

float ik_rms(const float *a, uint32_t n, float *tmp)
{
    uint32_t i;
    for (i = 0; i < n; i++) {
        tmp[i] = a[i] * a[i];
    }
    return sqrtf(ik_sum(tmp, n) / (float)n);
}

float ik_variance(const float *a, uint32_t n, uint32_t ddof, float *tmp)
{
    float m = ik_mean(a, n);
    uint32_t i;
    for (i = 0; i < n; i++) {
        float d = a[i] - m;
        tmp[i] = d * d;
    }
    return ik_sum(tmp, n) / (float)(n > ddof ? n - ddof : 0);
}

/* Σ (a − m)^power for power 2, 3 or 4, each term rounded as numpy rounds z², z²·z and z²·z². */
static float central_sum(const float *a, uint32_t n, float m, int power, float *tmp)
{
    uint32_t i;
    for (i = 0; i < n; i++) {
        float z = a[i] - m;
        float z2 = z * z;
        tmp[i] = power == 2 ? z2 : power == 3 ? z2 * z : z2 * z2;
    }
    return ik_sum(tmp, n);
}

void ik_moments_of(const float *a, uint32_t n, float *tmp, ik_moments *out)
{
    float m = n > 0 ? ik_mean(a, n) : 0.0f;
    float m2 = 0.0f, m3 = 0.0f, m4 = 0.0f, resolution;
    out->mean = m;
    out->skewness = 0.0f;
    out->kurtosis = 0.0f;
    if (n > 0) {
        m2 = central_sum(a, n, m, 2, tmp) / (float)n;
        m3 = central_sum(a, n, m, 3, tmp) / (float)n;
        m4 = central_sum(a, n, m, 4, tmp) / (float)n;
    }
    out->m2 = m2;
    resolution = 1e-6f * m;
    if (n == 0 || !(m2 > resolution * resolution)) {
        return; /* constant vector: 0, not NaN */
    }
    /* m3 / m2^1.5 and m4 / m2² − 3, divided step by step so a tiny m2 does not underflow */
    out->skewness = m3 / m2 / sqrtf(m2);
    out->kurtosis = m4 / m2 / m2 - 3.0f;
    if (!isfinite(out->skewness)) {
        out->skewness = 0.0f;
    }
    if (!isfinite(out->kurtosis)) {
        out->kurtosis = 0.0f;
    }
}
