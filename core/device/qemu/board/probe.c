/*
 * The marker functions of probe.h, and the stack measurement per region.
 *
 * Counting: the QEMU plugin switches a region on when impulse_probe_begin_<k> starts executing
 * and off when impulse_probe_end_<k> does, and never counts code in the .impulse_probe.* sections
 * (their bounds, __impulse_probe_start/__impulse_probe_end, come from the linker script). So what
 * the markers do costs nothing in a region's counts.
 *
 * Stack: BEGIN scans the stack for the deepest overwritten word so far (the whole run's figure
 * and any enclosing regions' need it), then repaints everything below the caller's stack pointer;
 * END scans again: the deepest overwritten word is then the region's own deepest use. The scans
 * and the paint are in assembly, done before/after anything of the markers' own is pushed, so a
 * region's figure is exact to the word: bytes below the caller's SP at BEGIN.
 */
#include <stdint.h>

#include "board.h"

#define STR_(x) #x
#define STR(x) STR_(x)

#define PROBE_C __attribute__((section(".impulse_probe.c"), noinline, used))

uint32_t impulse_region_stack_peak[IMPULSE_PROBE_MAX_REGIONS];
uint32_t impulse_region_stack_seen;

static uint32_t active;                                    /* bit k: region k is running */
static uint8_t depth[IMPULSE_PROBE_MAX_REGIONS];           /* nesting of region k in itself */
static uint32_t *begin_sp[IMPULSE_PROBE_MAX_REGIONS];      /* caller's SP at the outermost BEGIN */
static uint32_t *region_lowest[IMPULSE_PROBE_MAX_REGIONS]; /* deepest word seen while running */
static uint32_t *run_lowest;                               /* deepest word seen in the whole run */

PROBE_C static void note_lowest(uint32_t *low) {
  if (!run_lowest || low < run_lowest) run_lowest = low;
  for (uint32_t m = active; m; m &= m - 1) {
    unsigned k = (unsigned)__builtin_ctz(m);
    if (low < region_lowest[k]) region_lowest[k] = low;
  }
}

/* Called by impulse_probe_begin_common with the scan's result, the probe id, the caller's SP. */
PROBE_C void impulse_probe_enter(uint32_t *low, unsigned k, uint32_t *caller_sp) {
  note_lowest(low);
  if (k >= IMPULSE_PROBE_MAX_REGIONS) return;
  if (depth[k]++ == 0) {
    active |= 1u << k;
    begin_sp[k] = caller_sp;
    region_lowest[k] = caller_sp;
  }
}

/* Tail-called by impulse_probe_end_common with the scan's result and the probe id. */
PROBE_C void impulse_probe_leave(uint32_t *low, unsigned k) {
  note_lowest(low);
  if (k >= IMPULSE_PROBE_MAX_REGIONS || depth[k] == 0) return; /* unbalanced: the plugin reports it */
  if (--depth[k] == 0) {
    active &= ~(1u << k);
    uint32_t used = (uint32_t)((char *)begin_sp[k] - (char *)region_lowest[k]);
    if (used > impulse_region_stack_peak[k]) impulse_region_stack_peak[k] = used;
    impulse_region_stack_seen |= 1u << k;
  }
}

PROBE_C uint32_t impulse_stack_run_peak(void) {
  const uint32_t *w = __stack_bottom;
  while (w < __stack_top && *w == IMPULSE_STACK_PAINT) w++;
  note_lowest((uint32_t *)w);
  return (uint32_t)((char *)__stack_top - (char *)run_lowest);
}

/* r0 <- the lowest stack word that no longer holds the paint (__stack_top if none); r1 kept. */
#define SCAN_ASM                                          \
  "  movw r0, #:lower16:__stack_bottom\n"                 \
  "  movt r0, #:upper16:__stack_bottom\n"                 \
  "  movw r2, #:lower16:__stack_top\n"                    \
  "  movt r2, #:upper16:__stack_top\n"                    \
  "  movw r3, #" STR(IMPULSE_STACK_PAINT_LO) "\n"         \
  "  movt r3, #" STR(IMPULSE_STACK_PAINT_HI) "\n"         \
  "1:\n"                                                  \
  "  cmp r0, r2\n"                                        \
  "  bhs 2f\n"                                            \
  "  ldr r12, [r0]\n"                                     \
  "  cmp r12, r3\n"                                       \
  "  bne 2f\n"                                            \
  "  adds r0, #4\n"                                       \
  "  b 1b\n"                                              \
  "2:\n"

/* The probe id arrives in r1. Only r0-r3, r12 and the flags are used: they are the caller's to
 * lose across any call. */
__asm__(
    "  .syntax unified\n"
    "  .thumb\n"
    "  .section .impulse_probe.common,\"ax\",%progbits\n"
    "  .balign 4\n"
    "  .type impulse_probe_begin_common, %function\n"
    "  .thumb_func\n"
    "impulse_probe_begin_common:\n"
    SCAN_ASM
    "  push {r4, lr}\n"
    "  add r2, sp, #8\n" /* the caller's SP */
    "  bl impulse_probe_enter\n"
    "  pop {r4, lr}\n"
    /* paint [__stack_bottom, SP): SP is the caller's again */
    "  movw r0, #:lower16:__stack_bottom\n"
    "  movt r0, #:upper16:__stack_bottom\n"
    "  movw r1, #" STR(IMPULSE_STACK_PAINT_LO) "\n"
    "  movt r1, #" STR(IMPULSE_STACK_PAINT_HI) "\n"
    "  mov r2, sp\n"
    "3:\n"
    "  cmp r0, r2\n"
    "  bhs 4f\n"
    "  str r1, [r0], #4\n"
    "  b 3b\n"
    "4:\n"
    "  bx lr\n"
    "  .size impulse_probe_begin_common, . - impulse_probe_begin_common\n"
    "  .type impulse_probe_end_common, %function\n"
    "  .thumb_func\n"
    "impulse_probe_end_common:\n"
    SCAN_ASM
    "  b.w impulse_probe_leave\n"
    "  .size impulse_probe_end_common, . - impulse_probe_end_common\n"
    "  .text\n");

/* One section per marker, so that --gc-sections drops the unused ones. */
#define IMPULSE_PROBE_DEFINE_(k)                                        \
  __asm__("  .syntax unified\n"                                         \
          "  .thumb\n"                                                  \
          "  .section .impulse_probe.begin_" #k ",\"ax\",%progbits\n"   \
          "  .balign 4\n"                                               \
          "  .global impulse_probe_begin_" #k "\n"                      \
          "  .type impulse_probe_begin_" #k ", %function\n"             \
          "  .thumb_func\n"                                             \
          "impulse_probe_begin_" #k ":\n"                               \
          "  movs r1, #" #k "\n"                                        \
          "  b.w impulse_probe_begin_common\n"                          \
          "  .size impulse_probe_begin_" #k ", . - impulse_probe_begin_" #k "\n" \
          "  .section .impulse_probe.end_" #k ",\"ax\",%progbits\n"     \
          "  .balign 4\n"                                               \
          "  .global impulse_probe_end_" #k "\n"                        \
          "  .type impulse_probe_end_" #k ", %function\n"               \
          "  .thumb_func\n"                                             \
          "impulse_probe_end_" #k ":\n"                                 \
          "  movs r1, #" #k "\n"                                        \
          "  b.w impulse_probe_end_common\n"                            \
          "  .size impulse_probe_end_" #k ", . - impulse_probe_end_" #k "\n" \
          "  .text\n");

IMPULSE_PROBE_DEFINE_(0)  IMPULSE_PROBE_DEFINE_(1)  IMPULSE_PROBE_DEFINE_(2)  IMPULSE_PROBE_DEFINE_(3)
IMPULSE_PROBE_DEFINE_(4)  IMPULSE_PROBE_DEFINE_(5)  IMPULSE_PROBE_DEFINE_(6)  IMPULSE_PROBE_DEFINE_(7)
IMPULSE_PROBE_DEFINE_(8)  IMPULSE_PROBE_DEFINE_(9)  IMPULSE_PROBE_DEFINE_(10) IMPULSE_PROBE_DEFINE_(11)
IMPULSE_PROBE_DEFINE_(12) IMPULSE_PROBE_DEFINE_(13) IMPULSE_PROBE_DEFINE_(14) IMPULSE_PROBE_DEFINE_(15)
IMPULSE_PROBE_DEFINE_(16) IMPULSE_PROBE_DEFINE_(17) IMPULSE_PROBE_DEFINE_(18) IMPULSE_PROBE_DEFINE_(19)
IMPULSE_PROBE_DEFINE_(20) IMPULSE_PROBE_DEFINE_(21) IMPULSE_PROBE_DEFINE_(22) IMPULSE_PROBE_DEFINE_(23)
IMPULSE_PROBE_DEFINE_(24) IMPULSE_PROBE_DEFINE_(25) IMPULSE_PROBE_DEFINE_(26) IMPULSE_PROBE_DEFINE_(27)
IMPULSE_PROBE_DEFINE_(28) IMPULSE_PROBE_DEFINE_(29) IMPULSE_PROBE_DEFINE_(30) IMPULSE_PROBE_DEFINE_(31)
