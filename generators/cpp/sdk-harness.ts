/**
 * Test support: C driver programs that run a generated SDK over many inputs streamed on stdin and
 * write its raw outputs to stdout, for comparison with the TS interpreter. (Not shipped; used by
 * the SDK's tests.)
 */

/** int8 in, int8 out through impulse_run_quantized: `count` inputs back to back. */
export const QUANTIZED_DRIVER = `#include <stdio.h>
#include <stdlib.h>
#include "impulse.h"
#include "model.h"

int main(int argc, char **argv) {
  static int8_t input[MODEL_INPUT_SIZE];
  static int8_t output[MODEL_OUTPUT_SIZE];
  long n = argc > 1 ? atol(argv[1]) : 0, i;
  impulse_init();
  for (i = 0; i < n; i++) {
    if (fread(input, 1, sizeof input, stdin) != sizeof input) return 3;
    if (impulse_run_quantized(input, sizeof input, output, sizeof output) != IMPULSE_OK) return 4;
    fwrite(output, 1, sizeof output, stdout);
  }
  return 0;
}
`;

/** float in (impulse_run), float scores out: `count` windows back to back. */
export const FLOAT_DRIVER = `#include <stdio.h>
#include <stdlib.h>
#include "impulse.h"

int main(int argc, char **argv) {
  static float window[IMPULSE_INPUT_LENGTH];
  long n = argc > 1 ? atol(argv[1]) : 0, i;
  impulse_init();
  for (i = 0; i < n; i++) {
    impulse_result_t r;
    impulse_status_t s;
    if (fread(window, sizeof(float), IMPULSE_INPUT_LENGTH, stdin) != IMPULSE_INPUT_LENGTH) return 3;
    s = impulse_run(window, IMPULSE_INPUT_LENGTH, &r);
    if (s != IMPULSE_OK) {
      fprintf(stderr, "window %ld: %s\\n", i, impulse_status_message(s));
      return 4;
    }
    fwrite(r.scores, sizeof(float), IMPULSE_SCORE_COUNT, stdout);
  }
  return 0;
}
`;
