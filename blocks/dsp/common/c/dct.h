/* DCT-II (orthonormal) as a matrix-vector product with a table generated at build time. */
#ifndef IK_COMMON_DCT_H
#define IK_COMMON_DCT_H

#include "dsp.h"

/*
 * out[j] = Σ_i matrix[j·n + i]·in[i] for j < rows. `matrix` holds the wanted rows of the
 * orthonormal DCT-II of n points, row-major (rows × n floats).
 */
void ik_dct_rows(const float *matrix, uint32_t rows, uint32_t n, const float *in, float *out);

#endif /* IK_COMMON_DCT_H */
