/*
 * Shared definitions of the impulse-kit DSP blocks (C99, no heap, no writable globals).
 *
 * Every block instance is one function `int <fn>(const float *input, float *output, float *scratch)`
 * generated next to a `static const` configuration (tables live in flash). The block's code reads
 * the configuration, uses `scratch` (a part of the SDK's arena, size given by the generator) for
 * its working buffers and writes every output value. Arithmetic is float32 throughout: the target
 * has a single-precision FPU.
 */
#ifndef IK_DSP_H
#define IK_DSP_H

#include <stddef.h>
#include <stdint.h>

/* Return codes of the block functions. */
#define IK_DSP_OK 0
/* A null input, output or scratch pointer. */
#define IK_DSP_ERR_NULL 1

#endif /* IK_DSP_H */
