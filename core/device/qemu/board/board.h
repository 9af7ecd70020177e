/*
 * Shared between the board's start-up code (startup.c) and the measurement markers (probe.c):
 * the stack reservation, its paint, and the stack measurements the run report carries.
 */
#ifndef IMPULSE_BOARD_H
#define IMPULSE_BOARD_H

#include <stdint.h>

#include "probe.h"

/* The pattern painted over unused stack. Not a value programs commonly store (0, -1, small
 * integers, pointers into RAM or flash), so an overwritten word is told apart from an untouched
 * one with high probability. The halves are separate for the assembly in probe.c. */
#define IMPULSE_STACK_PAINT_HI 0x5AC3
#define IMPULSE_STACK_PAINT_LO 0xA5C3
#define IMPULSE_STACK_PAINT ((uint32_t)IMPULSE_STACK_PAINT_HI << 16 | IMPULSE_STACK_PAINT_LO)

/* From the linker script. */
extern uint32_t __stack_bottom[], __stack_top[];

/* Deepest stack use of each region over its entries (bytes below the caller's stack pointer at
 * IMPULSE_PROBE_BEGIN), and which regions have completed at least once (bit k). */
extern uint32_t impulse_region_stack_peak[IMPULSE_PROBE_MAX_REGIONS];
extern uint32_t impulse_region_stack_seen;

/* Deepest stack use of the whole run so far, in bytes below the top of the stack. The markers
 * repaint the stack, so this combines every scan made since reset. */
uint32_t impulse_stack_run_peak(void);

#endif /* IMPULSE_BOARD_H */
