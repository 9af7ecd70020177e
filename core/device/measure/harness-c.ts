/**
 * The C the measurement adds to a generated SDK: `impulse_measure.h`, which maps the SDK's
 * per-block hooks to the QEMU harness's probes, and a `main` that reads windows through
 * semihosting, calls the impulse on each, and writes its outputs back.
 *
 * main's arguments: `<mode> <count>`; it reads `input.bin` and writes `output.bin` in QEMU's
 * working folder. Modes:
 *   signal    — `count` windows of IMPULSE_INPUT_LENGTH floats through impulse_run
 *   features  — `count` rows of IMPULSE_FEATURE_COUNT floats through impulse_run_features
 *   quantized — `count` int8 inputs through impulse_run_quantized (bare int8 models only)
 * Output per call: the IMPULSE_SCORE_COUNT scores and the anomaly score as floats, or (quantized)
 * the network's raw int8 outputs. A failing call exits with 10 + the status's magnitude.
 */
import type { SdkSpec } from '../../../generators/cpp/sdk/spec.js';
import { QUANTIZED_NETWORK_PROBE, RUN_PROBE } from './probes.js';

export const MEASURE_HEADER = `/* impulse_measure.h — the SDK's per-block hooks as QEMU measurement probes (impulse-kit profiler). */
#ifndef IMPULSE_MEASURE_H
#define IMPULSE_MEASURE_H
#include "probe.h"
#define IMPULSE_BLOCK_BEGIN(block) IMPULSE_PROBE_BEGIN(block)
#define IMPULSE_BLOCK_END(block) IMPULSE_PROBE_END(block)
#endif
`;

export const INPUT_FILE = 'input.bin';
export const OUTPUT_FILE = 'output.bin';

export type MeasureMode = 'signal' | 'features' | 'quantized';

/** Whether the SDK has impulse_run_quantized (an int8 network fed its input directly). */
export function hasQuantizedEntry(spec: SdkSpec): boolean {
  return spec.network?.precision === 'int8' && spec.input.kind === 'features';
}

export function measurementMain(spec: SdkSpec): string {
  const quantized = hasQuantizedEntry(spec);
  const net = spec.network?.name;
  const upper = net?.toUpperCase();
  return `/* main.c — impulse-kit measurement harness for ${spec.name} (generated): see core/device/measure/harness-c.ts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "impulse.h"
#include "probe.h"
${quantized ? `#include "${net}.h"\n` : ''}
#define BUFFER_FLOATS (IMPULSE_INPUT_LENGTH > IMPULSE_FEATURE_COUNT ? IMPULSE_INPUT_LENGTH : IMPULSE_FEATURE_COUNT)

${quantized ? `static int8_t quantized_input[${upper}_INPUT_SIZE];
static int8_t quantized_output[${upper}_OUTPUT_SIZE];` : 'static float buffer[BUFFER_FLOATS];'}

static int fail(long window, impulse_status_t status) {
  fprintf(stderr, "window %ld: %s\\n", window, impulse_status_message(status));
  return 10 - (int)status;
}

int main(int argc, char **argv) {
  const char *mode = argc > 1 ? argv[1] : "signal";
  const long count = argc > 2 ? atol(argv[2]) : 0;
  FILE *in = fopen("${INPUT_FILE}", "rb");
  FILE *out = fopen("${OUTPUT_FILE}", "wb");
  long i;
  if (in == NULL || out == NULL) return 2;
  if (impulse_init() != IMPULSE_OK) return 3;
  for (i = 0; i < count; i++) {
    impulse_status_t status;
${
  quantized
    ? `    if (strcmp(mode, "quantized") != 0) return 6;
    if (fread(quantized_input, 1, sizeof quantized_input, in) != sizeof quantized_input) return 4;
    IMPULSE_PROBE_BEGIN(${RUN_PROBE});
    IMPULSE_PROBE_BEGIN(${QUANTIZED_NETWORK_PROBE});
    status = impulse_run_quantized(quantized_input, sizeof quantized_input, quantized_output, sizeof quantized_output);
    IMPULSE_PROBE_END(${QUANTIZED_NETWORK_PROBE});
    IMPULSE_PROBE_END(${RUN_PROBE});
    if (status != IMPULSE_OK) return fail(i, status);
    fwrite(quantized_output, 1, sizeof quantized_output, out);`
    : `    impulse_result_t result;
    const int features = strcmp(mode, "features") == 0;
    const size_t len = features ? IMPULSE_FEATURE_COUNT : IMPULSE_INPUT_LENGTH;
    if (!features && strcmp(mode, "signal") != 0) return 6;
    if (fread(buffer, sizeof(float), len, in) != len) return 4;
    IMPULSE_PROBE_BEGIN(${RUN_PROBE});
    status = features ? impulse_run_features(buffer, len, &result) : impulse_run(buffer, len, &result);
    IMPULSE_PROBE_END(${RUN_PROBE});
    if (status != IMPULSE_OK) return fail(i, status);
    fwrite(result.scores, sizeof(float), IMPULSE_SCORE_COUNT, out);
    fwrite(&result.anomaly, sizeof(float), 1, out);`
}
  }
  fclose(in);
  fclose(out);
  return 0;
}
`;
}
