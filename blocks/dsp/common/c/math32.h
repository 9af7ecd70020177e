/*
 * Natural logarithm, base-10 logarithm and exponential in float32, written for this SDK so that they
 * give the same bits on every target: host gcc / clang, arm-none-eabi-gcc with newlib, and the
 * TS implementation the models are trained on (blocks/dsp/common/math32.ts, its twin operation for
 * operation). libm's logf / log10f / expf are not used: glibc and newlib round differently.
 *
 * Only float32 +, −, ×, ÷ (each correctly rounded by IEEE 754, hence the same everywhere) in a fixed
 * order, and bit manipulation. Build with -ffp-contract=off: a fused multiply-add rounds once where
 * the code rounds twice. Accuracy (largest error over ~720 000 tested inputs, against float64): ln 0.87,
 * log10 0.92, exp 1.19 ulp.
 */
#ifndef IK_COMMON_MATH32_H
#define IK_COMMON_MATH32_H

/* ln x. x = 0 (either sign): −∞; x < 0 or NaN: NaN (0x7fc00000); +∞: +∞. Subnormals are handled. */
float ik_logf(float x);

/* log10 x, with the special values of ik_logf. */
float ik_log10f(float x);

/* e^x. x > 88.72284: +∞; x < −103.97208: 0; NaN: NaN (0x7fc00000). Subnormal results are rounded once. */
float ik_expf(float x);

#endif /* IK_COMMON_MATH32_H */
