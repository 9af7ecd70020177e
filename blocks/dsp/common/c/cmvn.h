/*
 * Cepstral mean and variance normalisation over a sliding window of rows (speechpy's `cmvnw`, as
 * the reference MFCC uses it): each value minus the mean of the `win` rows centred on its row, then
 * divided by (standard deviation of those mean-subtracted values + 1e-10). Rows beyond the edges
 * mirror the matrix (numpy.pad 'symmetric', repeated when the window is longer than the matrix).
 */
#ifndef IK_COMMON_CMVN_H
#define IK_COMMON_CMVN_H

#include "dsp.h"

/*
 * In place on a rows × cols row-major matrix. win: odd window length in rows.
 * padded_rows: rows + win − 1 entries, the row each padded position −(win−1)/2 .. rows − 1 + (win−1)/2
 * reads under numpy's 'symmetric' padding (a table generated at build time: no divisions at run
 * time). centred: rows floats of scratch.
 *
 * Sums slide with one add and one subtract per row, compensated (Neumaier) so float32 does not
 * drift over long matrices. A window whose rows hold bit-identical values (digital silence) gives
 * exactly 0, where an uncompensated float32 mean would leave rounding noise for the 1e-10 to blow up.
 */
void ik_cmvn(float *data, uint32_t rows, uint32_t cols, uint32_t win, const uint16_t *padded_rows, float *centred);

#endif /* IK_COMMON_CMVN_H */
