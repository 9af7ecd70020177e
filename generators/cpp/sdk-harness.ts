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

/**
 * 10,000+ calls with garbage: wrong lengths, NULL pointers, NaN, ±Inf, huge and tiny values, for
 * every entry point. Each call must return a status of the enum, and the status the input calls
 * for; a crash (or a sanitizer finding) fails the run. Prints "calls=N ok=A length=B …" on success.
 */
export const FUZZ_DRIVER = `#include <math.h>
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "impulse.h"

#define MAX_LEN (IMPULSE_INPUT_LENGTH > IMPULSE_FEATURE_COUNT ? IMPULSE_INPUT_LENGTH : IMPULSE_FEATURE_COUNT)

static uint32_t rng = 2463534242u;
static uint32_t next(void) { rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5; return rng; }
static float uniform(void) { return (float)(next() >> 8) / 16777216.0f; }

static float buffer[MAX_LEN + 8];
static float features_out[IMPULSE_FEATURE_COUNT + 8];
static long counts[16];

/* A value of one of the kinds the fuzzer tries; *finite says whether it is finite. */
static float garbage(int kind, int *finite) {
  *finite = 1;
  switch (kind) {
    case 0: return (uniform() * 2.0f - 1.0f) * 1000.0f;          /* plausible */
    case 1: *finite = 0; return NAN;
    case 2: *finite = 0; return (next() & 1) ? INFINITY : -INFINITY;
    case 3: return (next() & 1) ? FLT_MAX : -FLT_MAX;            /* huge */
    case 4: return (uniform() * 2.0f - 1.0f) * 1e30f;            /* very large */
    case 5: return FLT_MIN * uniform();                           /* denormal */
    default: return 0.0f;
  }
}

#define BIT(status) (1u << (unsigned)(-(status)))

/* Whether status s is one of the statuses in the mask allowed. */
static int check(impulse_status_t s, unsigned allowed, long call) {
  if (s < IMPULSE_ERR_SCORES_NOT_FINITE || s > IMPULSE_OK) {
    fprintf(stderr, "call %ld: status %d is not an impulse_status_t\\n", call, (int)s);
    return 0;
  }
  counts[-s]++;
  if ((BIT(s) & allowed) == 0) {
    fprintf(stderr, "call %ld: status %d (%s) not expected (mask 0x%x)\\n", call, (int)s, impulse_status_message(s), allowed);
    return 0;
  }
  return 1;
}

int main(int argc, char **argv) {
  long calls = argc > 1 ? atol(argv[1]) : 10000, c;
  impulse_result_t result;
  /* before impulse_init(): every entry point refuses */
  if (impulse_run(buffer, IMPULSE_INPUT_LENGTH, &result) != IMPULSE_ERR_NOT_INITIALIZED) return 10;
  if (impulse_run_features(buffer, IMPULSE_FEATURE_COUNT, &result) != IMPULSE_ERR_NOT_INITIALIZED) return 11;
  impulse_init();
  for (c = 0; c < calls; c++) {
    int entry = (int)(next() % 3);
    size_t right = entry == 1 ? IMPULSE_FEATURE_COUNT : IMPULSE_INPUT_LENGTH;
    size_t len = right;
    int finite_all = 1, kind = (int)(next() % 6), mixed = (next() % 4) == 0, null_in = (next() % 12) == 0, null_out = (next() % 12) == 0;
    size_t i;
    impulse_status_t s;
    unsigned allowed;
    switch (next() % 12) { /* a right length one call in six: the valid calls run the whole network */
      case 0: case 1: len = right + 1; break;
      case 2: case 3: len = right > 0 ? right - 1 : 0; break;
      case 4: case 5: case 6: case 7: len = (size_t)(next() % (MAX_LEN + 4)); break;
      case 8: case 9: len = 0; break;
      default: break;
    }
    for (i = 0; i < MAX_LEN + 8; i++) {
      int finite;
      /* one kind of value per call, or every kind mixed */
      buffer[i] = garbage(mixed ? (int)(next() % 6) : kind, &finite);
      if (i < right && !finite) finite_all = 0;
    }
    if (null_in || null_out) allowed = BIT(IMPULSE_ERR_NULL_POINTER);
    else if (len != right) allowed = BIT(IMPULSE_ERR_INPUT_LENGTH);
    else if (!finite_all) allowed = BIT(IMPULSE_ERR_INPUT_NOT_FINITE);
    /* finite but extreme input may overflow the DSP (features) or a float network (scores) */
    else allowed = BIT(IMPULSE_OK) | (entry == 1 ? 0u : BIT(IMPULSE_ERR_FEATURES_NOT_FINITE)) | (entry == 2 ? 0u : BIT(IMPULSE_ERR_SCORES_NOT_FINITE));
    if (entry == 0) s = impulse_run(null_in ? NULL : buffer, len, null_out ? NULL : &result);
    else if (entry == 1) s = impulse_run_features(null_in ? NULL : buffer, len, null_out ? NULL : &result);
    else s = impulse_run_dsp(null_in ? NULL : buffer, len, null_out ? NULL : features_out, IMPULSE_FEATURE_COUNT);
    if (!check(s, allowed, c)) return 1;
    if (s == IMPULSE_OK && entry != 2) {
      for (i = 0; i < IMPULSE_SCORE_COUNT; i++) {
        if (!isfinite(result.scores[i])) { fprintf(stderr, "call %ld: non-finite score\\n", c); return 2; }
      }
    }
  }
  printf("calls=%ld ok=%ld null=%ld length=%ld input_not_finite=%ld features_not_finite=%ld scores_not_finite=%ld\\n", calls, counts[0], counts[1], counts[2], counts[3], counts[4], counts[7]);
  return 0;
}
`;
