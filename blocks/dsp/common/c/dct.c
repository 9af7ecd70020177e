/* Matrix-vector DCT (see dct.h). */
#include "dct.h"

void ik_dct_rows(const float *matrix, uint32_t rows, uint32_t n, const float *in, float *out)
{
    uint32_t j, i;
    for (j = 0; j < rows; j++) {
        const float *row = matrix + j * n;
        /* four partial sums: a quarter of the loop overhead, and independent FPU operations */
        float a0 = 0.0f, a1 = 0.0f, a2 = 0.0f, a3 = 0.0f;
        for (i = 0; i + 4 <= n; i += 4) {
            a0 += row[i] * in[i];
            a1 += row[i + 1] * in[i + 1];
            a2 += row[i + 2] * in[i + 2];
            a3 += row[i + 3] * in[i + 3];
        }
        for (; i < n; i++) {
            a0 += row[i] * in[i];
        }
        out[j] = (a0 + a1) + (a2 + a3);
    }
}
