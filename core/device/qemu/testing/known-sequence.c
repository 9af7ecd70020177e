/*
 * Regions of hand-written Thumb code whose instruction classes and Cortex-M4 cycles are known
 * (the expected figures are in qemu.test.ts): loads/stores (0), FPU/multiply/branches (1), and
 * region 3 nested in region 2. Written as one assembly function so that the compiler adds nothing
 * between the markers; main calls it twice, so every region is entered twice.
 */
#include <stdint.h>

#include "probe.h"

uint32_t load_buffer[4];

void known_sequence(void);

__asm__(
    "  .syntax unified\n"
    "  .thumb\n"
    "  .text\n"
    "  .global known_sequence\n"
    "  .type known_sequence, %function\n"
    "  .thumb_func\n"
    "known_sequence:\n"
    "  push {r4-r7, lr}\n"
    "  bl impulse_probe_begin_0\n"
    /* region 0: loads and stores */
    "  movw r12, #:lower16:load_buffer\n"
    "  movt r12, #:upper16:load_buffer\n"
    "  ldr r1, [r12]\n"      /* after an ALU op: 2 cycles */
    "  ldr r2, [r12, #4]\n"  /* pipelined: 1 */
    "  ldr r3, [r12, #8]\n"  /* pipelined: 1 */
    "  str r3, [r12, #12]\n" /* pipelined: 1 */
    "  nop\n"
    "  ldr r2, [r12]\n"      /* 2 */
    "  ldr r3, [r2]\n"       /* address is the register just loaded: not pipelined, 2 */
    "  ldrd r0, r1, [r12]\n" /* 3 */
    "  push {r4-r7}\n"       /* 1 + 4 */
    "  pop {r4-r7}\n"        /* 1 + 4 */
    "  bl impulse_probe_end_0\n"
    "  bl impulse_probe_begin_1\n"
    /* region 1: FPU, multiplies, divide, branches */
    "  movs r1, #6\n"
    "  movs r2, #3\n"
    "  vmov s0, r1\n"
    "  vadd.f32 s1, s0, s0\n"
    "  vmul.f32 s2, s1, s0\n"
    "  vmla.f32 s2, s1, s0\n"
    "  vdiv.f32 s3, s2, s1\n"
    "  vsqrt.f32 s4, s3\n"
    "  mul r0, r1, r2\n"
    "  smlad r0, r1, r2, r0\n"
    "  sdiv r0, r1, r2\n"
    "  b 1f\n"               /* taken */
    "  nop\n"                /* skipped */
    "1:\n"
    "  movs r0, #3\n"
    "2:\n"
    "  subs r0, #1\n"
    "  bne 2b\n"             /* taken twice, falls through once */
    "  bl impulse_probe_end_1\n"
    /* region 2 holds region 3 */
    "  bl impulse_probe_begin_2\n"
    "  movs r0, #1\n"
    "  bl impulse_probe_begin_3\n"
    "  movs r0, #2\n"
    "  movs r0, #3\n"
    "  bl impulse_probe_end_3\n"
    "  movs r0, #4\n"
    "  bl impulse_probe_end_2\n"
    "  pop {r4-r7, pc}\n");

int main(void) {
  load_buffer[0] = (uint32_t)(uintptr_t)&load_buffer[0]; /* so that ldr r3, [r2] reads memory */
  known_sequence();
  known_sequence();
  return 0;
}
