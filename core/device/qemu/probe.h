/*
 * Measurement regions for impulse-kit's QEMU harness (core/device/qemu).
 *
 * Put IMPULSE_PROBE_BEGIN(k) and IMPULSE_PROBE_END(k) around the code to measure, with k a
 * literal from 0 to 31, or a macro expanding to one (the region's probe id). The harness maps names to ids
 * (`regions: { dsp: 0, nn: 1 }`) and reports, per region, the instructions executed between the
 * two calls, their histogram by class, the estimated Cortex-M4 cycles and the stack used.
 *
 * How it works: each macro calls a distinct, never-inlined function (impulse_probe_begin_<k> /
 * impulse_probe_end_<k>, in board/probe.c). The harness finds their addresses in the ELF and the
 * QEMU plugin switches counting on and off when they execute; the markers' own code is never
 * counted, so a region counts exactly the instructions executed after BEGIN returns, up to (not
 * including) the call to END. The markers repaint and scan the stack to measure the region's
 * stack use (bytes below the stack pointer at BEGIN).
 *
 * Regions may nest and may be entered many times (counts add up; `entries` says how often).
 * The calls are compiler barriers for memory, but arithmetic on locals may move across them:
 * measure whole function calls (e.g. one inference) rather than a few statements.
 *
 * Without IMPULSE_PROBES defined (host builds, production firmware) the macros expand to nothing,
 * so code carrying them builds anywhere. The harness defines IMPULSE_PROBES=1 and links probe.c.
 */
#ifndef IMPULSE_PROBE_H
#define IMPULSE_PROBE_H

#define IMPULSE_PROBE_MAX_REGIONS 32

#if defined(IMPULSE_PROBES) && IMPULSE_PROBES

#ifdef __cplusplus
extern "C" {
#endif

/* noipa: callers assume nothing about the bodies (written in assembly in board/probe.c). */
#if defined(__GNUC__) && !defined(__clang__)
#define IMPULSE_PROBE_ATTRIBUTES_ __attribute__((noinline, noipa))
#else
#define IMPULSE_PROBE_ATTRIBUTES_ __attribute__((noinline))
#endif
#define IMPULSE_PROBE_DECLARE_(k)                                \
  IMPULSE_PROBE_ATTRIBUTES_ void impulse_probe_begin_##k(void);  \
  IMPULSE_PROBE_ATTRIBUTES_ void impulse_probe_end_##k(void);

IMPULSE_PROBE_DECLARE_(0)  IMPULSE_PROBE_DECLARE_(1)  IMPULSE_PROBE_DECLARE_(2)  IMPULSE_PROBE_DECLARE_(3)
IMPULSE_PROBE_DECLARE_(4)  IMPULSE_PROBE_DECLARE_(5)  IMPULSE_PROBE_DECLARE_(6)  IMPULSE_PROBE_DECLARE_(7)
IMPULSE_PROBE_DECLARE_(8)  IMPULSE_PROBE_DECLARE_(9)  IMPULSE_PROBE_DECLARE_(10) IMPULSE_PROBE_DECLARE_(11)
IMPULSE_PROBE_DECLARE_(12) IMPULSE_PROBE_DECLARE_(13) IMPULSE_PROBE_DECLARE_(14) IMPULSE_PROBE_DECLARE_(15)
IMPULSE_PROBE_DECLARE_(16) IMPULSE_PROBE_DECLARE_(17) IMPULSE_PROBE_DECLARE_(18) IMPULSE_PROBE_DECLARE_(19)
IMPULSE_PROBE_DECLARE_(20) IMPULSE_PROBE_DECLARE_(21) IMPULSE_PROBE_DECLARE_(22) IMPULSE_PROBE_DECLARE_(23)
IMPULSE_PROBE_DECLARE_(24) IMPULSE_PROBE_DECLARE_(25) IMPULSE_PROBE_DECLARE_(26) IMPULSE_PROBE_DECLARE_(27)
IMPULSE_PROBE_DECLARE_(28) IMPULSE_PROBE_DECLARE_(29) IMPULSE_PROBE_DECLARE_(30) IMPULSE_PROBE_DECLARE_(31)

#ifdef __cplusplus
}
#endif

/* Two steps, so that k may itself be a macro (#define REGION_NN 1 … IMPULSE_PROBE_BEGIN(REGION_NN)). */
#define IMPULSE_PROBE_BEGIN(k) IMPULSE_PROBE_BEGIN_(k)
#define IMPULSE_PROBE_END(k) IMPULSE_PROBE_END_(k)
#define IMPULSE_PROBE_BEGIN_(k) impulse_probe_begin_##k()
#define IMPULSE_PROBE_END_(k) impulse_probe_end_##k()

#else

#define IMPULSE_PROBE_BEGIN(k) ((void)0)
#define IMPULSE_PROBE_END(k) ((void)0)

#endif

#endif /* IMPULSE_PROBE_H */
