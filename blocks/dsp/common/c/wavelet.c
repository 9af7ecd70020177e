/* Wavelet decomposition and coefficient statistics (see wavelet.h). */
#include <math.h>

#include "math32.h"
#include "stats.h"
#include "wavelet.h"

uint32_t ik_dwt_length(uint32_t n, uint32_t taps)
{
    return (n + taps - 1) / 2;
}

/* x̃[k]: x[k] inside, mirrored (numpy 'symmetric', repeated) outside. */
static float extended(const float *x, uint32_t n, int32_t k)
{
    int32_t period, m;
    if (k >= 0 && k < (int32_t)n) {
        return x[k];
    }
    period = 2 * (int32_t)n;
    m = k % period;
    if (m < 0) {
        m += period;
    }
    return x[m < (int32_t)n ? m : period - 1 - m];
}

void ik_dwt_step(const float *x, uint32_t n, const float *lo, const float *hi, uint32_t taps, float *approx, float *detail)
{
    uint32_t len = ik_dwt_length(n, taps);
    uint32_t o;
    for (o = 0; o < len; o++) {
        int32_t i = 2 * (int32_t)o + 1;
        float a = 0.0f, d = 0.0f;
        int32_t f;
        if (i >= (int32_t)n) {
            /* past the right edge pywt adds the mirrored taps first: f = i − n down to 0, then the rest */
            for (f = i - (int32_t)n; f >= 0; f--) {
                float v = extended(x, n, i - f);
                a += lo[f] * v;
                d += hi[f] * v;
            }
            for (f = i - (int32_t)n + 1; f < (int32_t)taps; f++) {
                float v = extended(x, n, i - f);
                a += lo[f] * v;
                d += hi[f] * v;
            }
        } else {
            for (f = 0; f < (int32_t)taps; f++) {
                float v = extended(x, n, i - f);
                a += lo[f] * v;
                d += hi[f] * v;
            }
        }
        approx[o] = a;
        detail[o] = d;
    }
}

/* In-place ascending heapsort (no recursion, no extra memory). */
static void sift_down(float *a, uint32_t root, uint32_t n)
{
    for (;;) {
        uint32_t child = 2 * root + 1;
        float t;
        if (child >= n) {
            return;
        }
        if (child + 1 < n && a[child + 1] > a[child]) {
            child++;
        }
        if (!(a[child] > a[root])) {
            return;
        }
        t = a[root];
        a[root] = a[child];
        a[child] = t;
        root = child;
    }
}

static void sort_ascending(float *a, uint32_t n)
{
    uint32_t i;
    for (i = n / 2; i-- > 0;) {
        sift_down(a, i, n);
    }
    for (i = n; i-- > 1;) {
        float t = a[0];
        a[0] = a[i];
        a[i] = t;
        sift_down(a, 0, i);
    }
}

/*
 * Shannon entropy (nats) of numpy.histogram(x, 100) with density weighting, normalised as
 * scipy.stats.entropy does. histogram: 101 edges then 100 counts.
 *
 * The edges are the one place this file uses double: numpy computes them in float64 and rounds
 * them to float32, and a quantised sensor (whole mg, say) puts many coefficients exactly on an
 * edge, so a float32 edge one ulp off moves them to the next bin. 101 double multiply-adds per
 * coefficient array (software double on a Cortex-M4F: a few thousand cycles, off the hot path).
 */
static float histogram_entropy(const float *x, uint32_t n, float *histogram)
{
    float *edges = histogram;
    float *counts = histogram + IK_WAVELET_BINS + 1;
    float lo = x[0], hi = x[0], first, last, total = 0.0f, h = 0.0f;
    double lo_edge, hi_edge, step;
    uint32_t i, b;
    for (i = 1; i < n; i++) {
        if (x[i] < lo) lo = x[i];
        if (x[i] > hi) hi = x[i];
    }
    lo_edge = (double)lo;
    hi_edge = (double)hi;
    if (lo == hi) {
        lo_edge -= 0.5;
        hi_edge += 0.5;
    }
    step = (hi_edge - lo_edge) / (double)IK_WAVELET_BINS;
    for (b = 0; b < IK_WAVELET_BINS; b++) {
        edges[b] = (float)((double)b * step + lo_edge);
        counts[b] = 0.0f;
    }
    edges[IK_WAVELET_BINS] = (float)hi_edge;
    first = edges[0];
    last = edges[IK_WAVELET_BINS];
    for (i = 0; i < n; i++) {
        float v = x[i];
        float guess;
        if (v < first || v > last) {
            continue;
        }
        /* a first guess (truncation is floor here: the quotient is ≥ 0) */
        guess = (v - first) / (last - first) * (float)IK_WAVELET_BINS;
        b = guess < 0.0f ? 0 : guess >= (float)IK_WAVELET_BINS ? IK_WAVELET_BINS - 1 : (uint32_t)guess;
        /* the edges decide, as in numpy: edges[b] ≤ v < edges[b+1] (the last bin includes its right edge) */
        while (b > 0 && v < edges[b]) b--;
        while (b < IK_WAVELET_BINS - 1 && v >= edges[b + 1]) b++;
        counts[b] += 1.0f;
    }
    /* density = count / width / n, then normalised to sum 1 */
    for (b = 0; b < IK_WAVELET_BINS; b++) {
        counts[b] = counts[b] / (edges[b + 1] - edges[b]) / (float)n;
        total += counts[b];
    }
    for (b = 0; b < IK_WAVELET_BINS; b++) {
        float q = counts[b] / total;
        if (q > 0.0f) {
            h -= q * ik_logf(q);
        }
    }
    return h;
}

/* Fraction of neighbouring samples on different sides of `threshold`. */
static float crossings(const float *x, uint32_t n, float threshold)
{
    uint32_t i, c = 0;
    for (i = 1; i < n; i++) {
        if ((x[i - 1] > threshold) != (x[i] > threshold)) {
            c++;
        }
    }
    return (float)c / (float)n;
}

void ik_wavelet_features(const float *x, uint32_t n, const uint32_t percentile_index[5], float *sorted, float *tmp, float *histogram, float *out)
{
    ik_moments m;
    float rms;
    uint32_t i;
    out[0] = histogram_entropy(x, n, histogram);
    out[1] = crossings(x, n, 0.0f);
    out[2] = crossings(x, n, ik_mean(x, n));
    for (i = 0; i < n; i++) {
        sorted[i] = x[i];
    }
    sort_ascending(sorted, n);
    for (i = 0; i < 5; i++) {
        out[3 + i] = sorted[percentile_index[i]];
    }
    /* the reference computes the rest on the sorted array (sorted in place): the order changes float32 sums */
    out[8] = ik_mean(sorted, n);
    out[9] = sqrtf(ik_variance(sorted, n, 0, tmp));
    out[10] = ik_variance(sorted, n, 1, tmp);
    rms = ik_rms(sorted, n, tmp);
    out[11] = rms;
    ik_moments_of(sorted, n, tmp, &m);
    out[12] = rms == 0.0f ? 0.0f : m.skewness;
    out[13] = rms == 0.0f ? 0.0f : m.kurtosis;
}
