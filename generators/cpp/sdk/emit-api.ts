/**
 * impulse.h (the public C API) and impulse.c (the pipeline: checks, DSP blocks, features into the
 * network, scores out, anomaly score, per-block timing), for the SDK of an impulse or a bare model.
 */
import { scaleOf, zeroPointOf } from '../../../core/model/kernels/quant-params.js';
import { cCommentText, cFloat } from '../c-syntax.js';
import { hasFeaturesBuffer, type ArenaLayout } from './arena.js';
import { scoreCount } from './emit-metadata.js';
import type { FeatureSlice, SdkSpec } from './spec.js';

export function emitApiHeader(spec: SdkSpec): string {
  const quantizedEntry = spec.network?.precision === 'int8' && spec.input.kind === 'features';
  return `/*
 * impulse.h — ${cCommentText(spec.name)}: the public API of the generated library (impulse-kit).
 * C99, no heap, no interpreter: call impulse_init() once, then impulse_run() per window.
 */
#ifndef IMPULSE_H
#define IMPULSE_H

#include <stddef.h>
#include <stdint.h>
#include "impulse_metadata.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  IMPULSE_OK = 0,
  IMPULSE_ERR_NULL_POINTER = -1,        /* a pointer argument is NULL */
  IMPULSE_ERR_INPUT_LENGTH = -2,        /* len is not the length the function takes */
  IMPULSE_ERR_INPUT_NOT_FINITE = -3,    /* the input holds NaN or +-Inf */
  IMPULSE_ERR_FEATURES_NOT_FINITE = -4, /* the DSP blocks produced NaN or +-Inf (input far outside anything seen in training) */
  IMPULSE_ERR_DSP = -5,                 /* a DSP block reported a failure */
  IMPULSE_ERR_NOT_INITIALIZED = -6,     /* impulse_init() has not been called */
  IMPULSE_ERR_SCORES_NOT_FINITE = -7    /* the network produced NaN or +-Inf (features far outside anything seen in training) */
} impulse_status_t;

/* A clock for per-block timing: any monotonic counter (cycles, microseconds …). */
typedef uint32_t (*impulse_clock_fn)(void);

typedef struct {
  /* Classification: one score per label (impulse_labels order). Regression: scores[0] is the value. */
  float scores[IMPULSE_SCORE_COUNT];
  /* Classification: index of the highest score. */
  size_t top;
  /* Anomaly score (0 when the impulse has no anomaly block). */
  float anomaly;
  /* Clock ticks spent per DSP block, in the network, in the anomaly block (0 without a clock). */
  uint32_t dsp_ticks[IMPULSE_DSP_BLOCK_COUNT > 0 ? IMPULSE_DSP_BLOCK_COUNT : 1];
  uint32_t network_ticks;
  uint32_t anomaly_ticks;
} impulse_result_t;

/* Prepares the library (clears the arena). Returns IMPULSE_OK. */
impulse_status_t impulse_init(void);

/* Sets the clock read before and after each block (NULL: no timing). */
void impulse_set_clock(impulse_clock_fn clock);

/* Classifies one window of IMPULSE_INPUT_LENGTH floats${spec.input.kind === 'signal' ? ' (the raw signal, as the impulse was trained on)' : ' (the model input)'}. */
impulse_status_t impulse_run(const float *signal, size_t len, impulse_result_t *out);

/* Only the DSP blocks: writes the IMPULSE_FEATURE_COUNT features of one window. */
impulse_status_t impulse_run_dsp(const float *signal, size_t len, float *features, size_t features_len);

/* Only the learn blocks, on IMPULSE_FEATURE_COUNT features computed elsewhere. */
impulse_status_t impulse_run_features(const float *features, size_t len, impulse_result_t *out);
${
  quantizedEntry
    ? `
/* The int8 network on already quantized input (IMPULSE_NETWORK_INPUT_SCALE / _ZERO_POINT); writes its raw int8 outputs. */
impulse_status_t impulse_run_quantized(const int8_t *input, size_t len, int8_t *output, size_t output_len);
`
    : ''
}
/* A short English description of a status. */
const char *impulse_status_message(impulse_status_t status);

#ifdef __cplusplus
}
#endif

#endif
`;
}

/** C statements copying (float) or quantizing (int8) the network's feature slices into its input tensor. */
function feedNetwork(spec: SdkSpec, featuresExpr: string): string[] {
  const net = spec.network!;
  const input = net.model.tensors[net.model.inputs[0]!]!;
  const upper = net.name.toUpperCase();
  let at = 0;
  return net.input.map((s: FeatureSlice) => {
    const target = `${upper}_INPUT_OFFSET + ${at * (input.dtype === 'int8' ? 1 : 4)}`;
    at += s.length;
    if (input.dtype === 'int8') {
      return `  quantize_f32_s8(${s.length}, ${cFloat(scaleOf(input))}, ${zeroPointOf(input)}, ${featuresExpr} + ${s.offset}, (int8_t *)(ARENA + ${target}));`;
    }
    return `  memcpy(ARENA + ${target}, ${featuresExpr} + ${s.offset}, ${s.length} * sizeof(float));`;
  });
}

export function emitApiSource(spec: SdkSpec, arena: ArenaLayout): string {
  const buffered = hasFeaturesBuffer(spec);
  const net = spec.network;
  const anomaly = spec.anomaly;
  const outputT = net ? net.model.tensors[net.model.outputs[0]!]! : undefined;
  const upper = net?.name.toUpperCase();
  const includes = ['<math.h>', '<string.h>', '"impulse.h"'];
  if (net) includes.push(`"${net.name}.h"`);
  if (net?.precision === 'int8') includes.push('"kernels/quantize.h"');
  const prototypes = [
    ...spec.dsp.map((d) => `int ${d.fn}(const float *input, float *output, float *scratch); /* ${d.id}: ${d.type}, ${d.length} features */`),
    ...(anomaly ? [`float ${anomaly.fn}(const float *features, float *scratch); /* ${anomaly.id} */`] : []),
  ];
  const labels = spec.labels.length > 0 ? spec.labels.map((l) => JSON.stringify(l)).join(', ') : '""';
  const axes = spec.input.axes && spec.input.axes.length > 0 ? `const char *const impulse_axes[${spec.input.axes.length}] = {${spec.input.axes.map((a) => JSON.stringify(a)).join(', ')}};\n` : '';
  const dspNames = spec.dsp.length > 0 ? spec.dsp.map((d) => JSON.stringify(d.id)).join(', ') : '""';

  const dspCalls = spec.dsp.map((d, k) => {
    const source = d.source.kind === 'input' ? 'signal' : `features + ${d.source.offset}`;
    return `  t0 = now();
  IMPULSE_BLOCK_BEGIN(${k});
  status = ${d.fn}(${source}, features + ${d.offset}, dsp_scratch);
  IMPULSE_BLOCK_END(${k});
  if (status != 0) return IMPULSE_ERR_DSP;
  out->dsp_ticks[${k}] = now() - t0;`;
  });
  const networkBlock = spec.dsp.length;
  const anomalyBlock = spec.dsp.length + (net ? 1 : 0);

  const networkPart = net
    ? `  /* ${cCommentText(net.id)}: ${net.precision} network */
  t0 = now();
  IMPULSE_BLOCK_BEGIN(${networkBlock});
${feedNetwork(spec, 'features').join('\n')}
  ${net.name}_invoke(ARENA);
  IMPULSE_BLOCK_END(${networkBlock});
${
  outputT!.dtype === 'int8'
    ? `  dequantize_s8_f32(IMPULSE_SCORE_COUNT, ${cFloat(scaleOf(outputT!))}, ${zeroPointOf(outputT!)}, (const int8_t *)(ARENA + ${upper}_OUTPUT_OFFSET), out->scores);`
    : `  memcpy(out->scores, ARENA + ${upper}_OUTPUT_OFFSET, IMPULSE_SCORE_COUNT * sizeof(float));`
}
  out->network_ticks = now() - t0;
  if (!all_finite(out->scores, IMPULSE_SCORE_COUNT)) return IMPULSE_ERR_SCORES_NOT_FINITE;
  out->top = top_score(out->scores, IMPULSE_SCORE_COUNT);`
    : '';
  const anomalyPart = anomaly
    ? `  /* ${cCommentText(anomaly.id)}: anomaly score */
  t0 = now();
  IMPULSE_BLOCK_BEGIN(${anomalyBlock});
  out->anomaly = ${anomaly.fn}(features + ${anomaly.input[0]!.offset}, (float *)(ARENA + ${arena.anomalyScratchOffset}));
  IMPULSE_BLOCK_END(${anomalyBlock});
  out->anomaly_ticks = now() - t0;
  if (!isfinite(out->anomaly)) return IMPULSE_ERR_SCORES_NOT_FINITE;`
    : '';

  const quantizedEntry =
    net?.precision === 'int8' && spec.input.kind === 'features'
      ? `
impulse_status_t impulse_run_quantized(const int8_t *input, size_t len, int8_t *output, size_t output_len) {
  if (input == NULL || output == NULL) return IMPULSE_ERR_NULL_POINTER;
  if (!initialized) return IMPULSE_ERR_NOT_INITIALIZED;
  if (len != ${upper}_INPUT_SIZE || output_len != ${upper}_OUTPUT_SIZE) return IMPULSE_ERR_INPUT_LENGTH;
  memcpy(ARENA + ${upper}_INPUT_OFFSET, input, len);
  ${net.name}_invoke(ARENA);
  memcpy(output, ARENA + ${upper}_OUTPUT_OFFSET, output_len);
  return IMPULSE_OK;
}
`
      : '';

  return `/*
 * impulse.c — ${cCommentText(spec.name)}: input checks, DSP blocks, network, anomaly score (generated by impulse-kit).
 *
 * Arena (${arena.bytes} bytes, offsets planned at generation time):
 *   features    ${buffered ? `${spec.featureCount} floats at ${arena.featuresOffset}` : 'none: the network reads the caller\'s input'}${spec.dsp.length > 0 ? `\n *   DSP scratch ${Math.max(0, ...spec.dsp.map((d) => d.code.scratchFloats))} floats at ${arena.dspScratchOffset}` : ''}${net ? `\n *   network     tensors and kernel scratch (see ${net.name}.c)` : ''}${anomaly ? `\n *   anomaly     ${anomaly.code.scratchFloats} floats of scratch at ${arena.anomalyScratchOffset}` : ''}
 */
${includes.map((i) => `#include ${i}`).join('\n')}

${prototypes.join('\n')}

/*
 * Measurement hooks around each block (${[...spec.dsp.map((d, k) => `${k}: DSP block ${cCommentText(d.id)}`), ...(net ? [`${networkBlock}: the network`] : []), ...(anomaly ? [`${anomalyBlock}: the anomaly block`] : [])].join(', ')}):
 * empty unless a profiler builds the library with IMPULSE_MEASURE and its own impulse_measure.h.
 */
#ifdef IMPULSE_MEASURE
#include "impulse_measure.h"
#else
#define IMPULSE_BLOCK_BEGIN(block)
#define IMPULSE_BLOCK_END(block)
#endif

const char *const impulse_labels[${Math.max(1, spec.labels.length)}] = {${labels}};
${axes}const char *const impulse_dsp_blocks[${Math.max(1, spec.dsp.length)}] = {${dspNames}};

/* The one working buffer; the union aligns it for float and int32 access. */
static union {
  uint8_t bytes[IMPULSE_ARENA_BYTES];
  float align_float;
  int32_t align_int32;
} arena;
#define ARENA (arena.bytes)

${buffered ? `/* The features buffer: every DSP block's output, side by side. */
#define FEATURES ((float *)(ARENA + ${arena.featuresOffset}))

` : ''}static int initialized;
static impulse_clock_fn clock_fn;

static uint32_t now(void) { return clock_fn != NULL ? clock_fn() : 0u; }

static int all_finite(const float *x, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) {
    if (!isfinite(x[i])) return 0;
  }
  return 1;
}
${
  net
    ? `
static size_t top_score(const float *scores, size_t n) {
  size_t i, best = 0;
  for (i = 1; i < n; i++) {
    if (scores[i] > scores[best]) best = i;
  }
  return best;
}
`
    : ''
}
impulse_status_t impulse_init(void) {
  memset(ARENA, 0, sizeof arena.bytes);
  initialized = 1;
  return IMPULSE_OK;
}

void impulse_set_clock(impulse_clock_fn clock) { clock_fn = clock; }

${
  buffered
    ? `/* The DSP blocks, in dependency order, into the features buffer. */
static impulse_status_t run_dsp(const float *signal, float *features, impulse_result_t *out) {
${
  spec.dsp.length > 0
    ? `  float *dsp_scratch = (float *)(ARENA + ${arena.dspScratchOffset});
  uint32_t t0;
  int status;
${dspCalls.join('\n')}`
    : `  memcpy(features, signal, IMPULSE_FEATURE_COUNT * sizeof(float));
  (void)out;`
}
  if (!all_finite(features, IMPULSE_FEATURE_COUNT)) return IMPULSE_ERR_FEATURES_NOT_FINITE;
  return IMPULSE_OK;
}
`
    : ''
}

/* The learn blocks on the features. */
static impulse_status_t run_learn(const float *features, impulse_result_t *out) {
  uint32_t t0;
${[networkPart, anomalyPart].filter(Boolean).join('\n')}
  return IMPULSE_OK;
}

impulse_status_t impulse_run(const float *signal, size_t len, impulse_result_t *out) {
  impulse_status_t status;
  if (signal == NULL || out == NULL) return IMPULSE_ERR_NULL_POINTER;
  if (!initialized) return IMPULSE_ERR_NOT_INITIALIZED;
  if (len != IMPULSE_INPUT_LENGTH) return IMPULSE_ERR_INPUT_LENGTH;
  if (!all_finite(signal, len)) return IMPULSE_ERR_INPUT_NOT_FINITE;
  memset(out, 0, sizeof *out);
${
  buffered
    ? `  status = run_dsp(signal, FEATURES, out);
  if (status != IMPULSE_OK) return status;
  return run_learn(FEATURES, out);`
    : `  status = run_learn(signal, out);
  return status;`
}
}

impulse_status_t impulse_run_dsp(const float *signal, size_t len, float *features, size_t features_len) {
  if (signal == NULL || features == NULL) return IMPULSE_ERR_NULL_POINTER;
  if (!initialized) return IMPULSE_ERR_NOT_INITIALIZED;
  if (len != IMPULSE_INPUT_LENGTH || features_len != IMPULSE_FEATURE_COUNT) return IMPULSE_ERR_INPUT_LENGTH;
  if (!all_finite(signal, len)) return IMPULSE_ERR_INPUT_NOT_FINITE;
${
  buffered
    ? `  {
    impulse_result_t timing;
    impulse_status_t status = run_dsp(signal, FEATURES, &timing);
    if (status != IMPULSE_OK) return status;
  }
  memcpy(features, FEATURES, IMPULSE_FEATURE_COUNT * sizeof(float));`
    : `  memcpy(features, signal, IMPULSE_FEATURE_COUNT * sizeof(float)); /* no DSP: the features are the input */`
}
  return IMPULSE_OK;
}

impulse_status_t impulse_run_features(const float *features, size_t len, impulse_result_t *out) {
  if (features == NULL || out == NULL) return IMPULSE_ERR_NULL_POINTER;
  if (!initialized) return IMPULSE_ERR_NOT_INITIALIZED;
  if (len != IMPULSE_FEATURE_COUNT) return IMPULSE_ERR_INPUT_LENGTH;
  if (!all_finite(features, len)) return IMPULSE_ERR_INPUT_NOT_FINITE;
  memset(out, 0, sizeof *out);
${
  buffered
    ? `  memcpy(FEATURES, features, IMPULSE_FEATURE_COUNT * sizeof(float));
  return run_learn(FEATURES, out);`
    : '  return run_learn(features, out);'
}
}
${quantizedEntry}
const char *impulse_status_message(impulse_status_t status) {
  switch (status) {
    case IMPULSE_OK: return "ok";
    case IMPULSE_ERR_NULL_POINTER: return "a pointer argument is NULL";
    case IMPULSE_ERR_INPUT_LENGTH: return "the input length is not the one this function takes";
    case IMPULSE_ERR_INPUT_NOT_FINITE: return "the input holds NaN or infinity";
    case IMPULSE_ERR_FEATURES_NOT_FINITE: return "the DSP blocks produced NaN or infinity (input far outside the training range)";
    case IMPULSE_ERR_DSP: return "a DSP block failed";
    case IMPULSE_ERR_NOT_INITIALIZED: return "impulse_init() has not been called";
    case IMPULSE_ERR_SCORES_NOT_FINITE: return "the network produced NaN or infinity (features far outside the training range)";
  }
  return "unknown status";
}
`;
}
