/* Sliding-window mean and variance normalisation (see cmvn.h). */
#include <math.h>

#include "cmvn.h"

/* A float32 sum with a running compensation term (Neumaier): sum + carry is the exact sum to
 * about twice float32's precision. */
typedef struct {
    float sum;
    float carry;
} compensated_sum;

static void csum_add(compensated_sum *s, float v)
{
    float t = s->sum + v;
    if (fabsf(s->sum) >= fabsf(v)) {
        s->carry += (s->sum - t) + v;
    } else {
        s->carry += (v - t) + s->sum;
    }
    s->sum = t;
}

static float csum_value(const compensated_sum *s)
{
    return s->sum + s->carry;
}

/* One column of a row-major matrix read through the padding: value at padded position q. */
typedef struct {
    const float *data;
    uint32_t stride;
    const uint16_t *padded_rows;
} padded_column;

static float at(const padded_column *c, uint32_t q)
{
    return c->data[(uint32_t)c->padded_rows[q] * c->stride];
}

/*
 * centred[r] = x[r] − mean(x over padded positions r .. r + win − 1, i.e. rows r − pad .. r + pad),
 * exactly 0 when those rows are all equal: `changes` counts neighbouring positions in the window
 * whose values differ.
 */
static void subtract_window_means(const padded_column *x, uint32_t rows, uint32_t win, float *centred)
{
    compensated_sum s = { 0.0f, 0.0f };
    uint32_t changes = 0;
    uint32_t q, r;
    for (q = 0; q < win; q++) {
        csum_add(&s, at(x, q));
        if (q > 0 && at(x, q) != at(x, q - 1)) {
            changes++;
        }
    }
    for (r = 0; r < rows; r++) {
        if (r > 0) {
            uint32_t enter = r + win - 1;
            uint32_t leave = r - 1;
            csum_add(&s, at(x, enter));
            csum_add(&s, -at(x, leave));
            changes += at(x, enter) != at(x, enter - 1);
            changes -= at(x, leave + 1) != at(x, leave);
        }
        centred[r] = changes == 0 ? 0.0f : x->data[r * x->stride] - csum_value(&s) / (float)win;
    }
}

/* out[r] = centred[r] / (std of centred over the window of row r + 1e-10). */
static void divide_by_window_std(const float *centred, uint32_t rows, uint32_t win, const uint16_t *padded_rows, float *out, uint32_t stride)
{
    padded_column c = { centred, 1, padded_rows };
    compensated_sum s1 = { 0.0f, 0.0f };
    compensated_sum s2 = { 0.0f, 0.0f };
    uint32_t q, r;
    for (q = 0; q < win; q++) {
        float v = at(&c, q);
        csum_add(&s1, v);
        csum_add(&s2, v * v);
    }
    for (r = 0; r < rows; r++) {
        float mean, variance;
        if (r > 0) {
            float vin = at(&c, r + win - 1);
            float vout = at(&c, r - 1);
            csum_add(&s1, vin);
            csum_add(&s1, -vout);
            csum_add(&s2, vin * vin);
            csum_add(&s2, -(vout * vout));
        }
        mean = csum_value(&s1) / (float)win;
        variance = csum_value(&s2) / (float)win - mean * mean;
        if (variance < 0.0f) {
            variance = 0.0f;
        }
        out[r * stride] = centred[r] / (sqrtf(variance) + 1e-10f);
    }
}

void ik_cmvn(float *data, uint32_t rows, uint32_t cols, uint32_t win, const uint16_t *padded_rows, float *centred)
{
    uint32_t c;
    for (c = 0; c < cols; c++) {
        padded_column x = { data + c, cols, padded_rows };
        subtract_window_means(&x, rows, win, centred);
        divide_by_window_std(centred, rows, win, padded_rows, data + c, cols);
    }
}
