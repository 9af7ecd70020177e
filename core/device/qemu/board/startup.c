/*
 * Board support for QEMU's mps2-an386 (Cortex-M4F): vector table, reset handler, fault handler,
 * heap for newlib, and the board report the harness reads after the run.
 *
 * Start-up order matters:
 *   1. enable the FPU (CPACR) before any code that may touch a floating-point register;
 *   2. paint the stack below the reset handler's own frame, so that the lowest overwritten
 *      word after the run is the program's stack high-water mark;
 *   3. copy .data, zero .bss, set up newlib (semihosting handles, constructors);
 *   4. argc/argv from the semihosting command line (-semihosting-config arg=...);
 *   5. main; then scan the stack, write the report, exit(main's return code) through newlib so
 *      stdio is flushed and QEMU exits with that code (exit() called from anywhere else writes
 *      the report too, through atexit).
 *
 * The report (a small text file in QEMU's working directory, written with raw semihosting calls
 * so it does not disturb the program's stdout) says the stack and heap peaks, or which fault
 * stopped the program.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "board.h"

extern int main(int argc, char **argv);
extern void initialise_monitor_handles(void);
extern void __libc_init_array(void);

/* From the linker script (board/mps2-an386.ld). */
extern uint32_t __data_load[], __data_start[], __data_end[];
extern uint32_t __bss_start__[], __bss_end__[];
extern char __heap_start[], __heap_end[];

#define REPORT_FILE ".impulse-board-report"

/* --- raw semihosting (ARM semihosting spec: BKPT 0xAB, operation in r0, argument block in r1) --- */

enum { SYS_OPEN = 0x01, SYS_CLOSE = 0x02, SYS_WRITE0 = 0x04, SYS_WRITE = 0x05, SYS_GET_CMDLINE = 0x15, SYS_EXIT_EXTENDED = 0x20 };
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

static int semihost(uint32_t op, const void *arg) {
  register uint32_t r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return (int)r0;
}

static size_t str_len(const char *s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

/* Appends text to buf at *at (bounded); no printf: the report must work after a fault too. */
static void put_str(char *buf, size_t cap, size_t *at, const char *s) {
  while (*s && *at + 1 < cap) buf[(*at)++] = *s++;
  buf[*at] = 0;
}

static void put_uint(char *buf, size_t cap, size_t *at, uint32_t v, int hex) {
  char tmp[12];
  int n = 0;
  uint32_t base = hex ? 16u : 10u;
  do {
    uint32_t d = v % base;
    tmp[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
    v /= base;
  } while (v);
  if (hex) put_str(buf, cap, at, "0x");
  while (n > 0 && *at + 1 < cap) buf[(*at)++] = tmp[--n];
  buf[*at] = 0;
}

static void write_report(const char *text) {
  uint32_t open_args[3] = {(uint32_t)REPORT_FILE, 4 /* "w" */, (uint32_t)(sizeof REPORT_FILE - 1)};
  int fh = semihost(SYS_OPEN, open_args);
  if (fh < 0) return;
  uint32_t write_args[3] = {(uint32_t)fh, (uint32_t)text, (uint32_t)str_len(text)};
  semihost(SYS_WRITE, write_args);
  uint32_t close_args[1] = {(uint32_t)fh};
  semihost(SYS_CLOSE, close_args);
}

static __attribute__((noreturn)) void exit_now(uint32_t code) {
  uint32_t args[2] = {ADP_STOPPED_APPLICATION_EXIT, code};
  for (;;) semihost(SYS_EXIT_EXTENDED, args);
}

/* --- heap: newlib's malloc grows through _sbrk; keep it between the stack and the end of RAM --- */

static char *heap_top = __heap_start;

void *_sbrk(ptrdiff_t incr) {
  char *prev = heap_top;
  if (incr > __heap_end - heap_top || incr < __heap_start - heap_top) {
    return (void *)-1; /* malloc then fails with ENOMEM instead of overwriting memory */
  }
  heap_top += incr;
  return prev;
}

/* newlib's __libc_init_array calls these (normally in crti.o, which -nostartfiles leaves out). */
void _init(void) {}
void _fini(void) {}

/* --- argc/argv from the semihosting command line --- */

#define MAX_ARGS 16
static char cmdline[512];
static char *argv_table[MAX_ARGS + 1];

static int read_args(void) {
  uint32_t args[2] = {(uint32_t)cmdline, sizeof cmdline};
  if (semihost(SYS_GET_CMDLINE, args) != 0) return 0;
  int argc = 0;
  char *p = cmdline;
  while (*p && argc < MAX_ARGS) {
    while (*p == ' ') *p++ = 0;
    if (!*p) break;
    argv_table[argc++] = p;
    while (*p && *p != ' ') p++;
  }
  if (*p) *p = 0;
  argv_table[argc] = NULL;
  return argc;
}

/* --- the run report --- */

/* Separate from the scan, so that its text buffer is not on the stack while the scan runs. */
static __attribute__((noinline)) void write_run_report(uint32_t stack_peak) {
  char text[200 + 24 * IMPULSE_PROBE_MAX_REGIONS];
  size_t at = 0;
  text[0] = 0;
  put_str(text, sizeof text, &at, "stack_peak ");
  put_uint(text, sizeof text, &at, stack_peak, 0);
  put_str(text, sizeof text, &at, "\nstack_size ");
  put_uint(text, sizeof text, &at, (uint32_t)((char *)__stack_top - (char *)__stack_bottom), 0);
  put_str(text, sizeof text, &at, "\nheap_peak ");
  put_uint(text, sizeof text, &at, (uint32_t)(heap_top - __heap_start), 0);
  put_str(text, sizeof text, &at, "\nheap_size ");
  put_uint(text, sizeof text, &at, (uint32_t)(__heap_end - __heap_start), 0);
  for (unsigned k = 0; k < IMPULSE_PROBE_MAX_REGIONS; k++) {
    if (!((impulse_region_stack_seen >> k) & 1u)) continue;
    put_str(text, sizeof text, &at, "\nregion_stack_");
    put_uint(text, sizeof text, &at, k, 0);
    put_str(text, sizeof text, &at, " ");
    put_uint(text, sizeof text, &at, impulse_region_stack_peak[k], 0);
  }
  put_str(text, sizeof text, &at, "\n");
  write_report(text);
}

/* Once: after main returns (from the reset handler, the shallowest point), or from exit() called
 * anywhere else (registered with atexit). */
static void report_run(void) {
  static int reported;
  uint32_t peak = impulse_stack_run_peak();
  /* A stack that overflowed has written over .bss, this flag included: report again then. */
  int overflowed = peak >= (uint32_t)((char *)__stack_top - (char *)__stack_bottom);
  if (reported && !overflowed) return;
  reported = 1;
  write_run_report(peak);
}

/* --- reset --- */

#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)

void Reset_Handler(void) __attribute__((noreturn));
void Reset_Handler(void) {
  /* CP10 and CP11 full access: the FPU is off at reset and any VFP instruction would fault. */
  SCB_CPACR |= 0xFu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");

  /* Paint everything below this frame; volatile so the loop stays a loop (no memset call). */
  uint32_t *sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  for (volatile uint32_t *w = __stack_bottom; w < sp; w++) *w = IMPULSE_STACK_PAINT;

  for (volatile uint32_t *src = __data_load, *dst = __data_start; dst < __data_end;) *dst++ = *src++;
  for (volatile uint32_t *dst = __bss_start__; dst < __bss_end__;) *dst++ = 0;

  initialise_monitor_handles();
  __libc_init_array();
  atexit(report_run);
  int argc = read_args();
  int rc = main(argc, argv_table);
  report_run();
  exit(rc);
}

/* --- faults: any exception other than reset stops the run and names itself in the report --- */

static const char *const exception_names[] = {"Thread", "Reset", "NMI", "HardFault", "MemManage", "BusFault", "UsageFault"};

#define SCB_CFSR (*(volatile uint32_t *)0xE000ED28u)
#define SCB_HFSR (*(volatile uint32_t *)0xE000ED2Cu)

/* frame: the stacked r0-r3, r12, lr, pc, xpsr of the faulting code. */
void impulse_board_fault(const uint32_t *frame, uint32_t ipsr) __attribute__((noreturn, used));
void impulse_board_fault(const uint32_t *frame, uint32_t ipsr) {
  uint32_t number = ipsr & 0x1FFu;
  char text[240];
  size_t at = 0;
  text[0] = 0;
  put_str(text, sizeof text, &at, "fault ");
  if (number < sizeof exception_names / sizeof exception_names[0]) {
    put_str(text, sizeof text, &at, exception_names[number]);
  } else {
    put_str(text, sizeof text, &at, "exception");
    put_uint(text, sizeof text, &at, number, 0);
  }
  put_str(text, sizeof text, &at, "\npc ");
  put_uint(text, sizeof text, &at, frame[6], 1);
  put_str(text, sizeof text, &at, "\nlr ");
  put_uint(text, sizeof text, &at, frame[5], 1);
  put_str(text, sizeof text, &at, "\ncfsr ");
  put_uint(text, sizeof text, &at, SCB_CFSR, 1);
  put_str(text, sizeof text, &at, "\nhfsr ");
  put_uint(text, sizeof text, &at, SCB_HFSR, 1);
  /* A stack that ran past its reservation corrupts static data; that is the likelier culprit. */
  if (__stack_bottom[0] != IMPULSE_STACK_PAINT) put_str(text, sizeof text, &at, "\nstack_overflowed 1");
  put_str(text, sizeof text, &at, "\n");
  write_report(text);
  semihost(SYS_WRITE0, "impulse-kit board: the firmware faulted (see the run report)\n");
  exit_now(134);
}

/* Naked: hands the stacked frame (MSP or PSP, from EXC_RETURN bit 2) and IPSR to the C handler. */
__attribute__((naked)) void Fault_Handler(void) {
  __asm__ volatile(
      "tst lr, #4\n\t"
      "ite eq\n\t"
      "mrseq r0, msp\n\t"
      "mrsne r0, psp\n\t"
      "mrs r1, ipsr\n\t"
      "b impulse_board_fault\n\t");
}

/* Vector table: initial stack pointer, reset, then every exception and the board's 32 IRQs. */
typedef void (*vector_t)(void);
#define VECTOR_COUNT (16 + 32)

#define FAULT4_ Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler
#define FAULT16_ FAULT4_, FAULT4_, FAULT4_, FAULT4_

__attribute__((section(".vectors"), used)) const vector_t impulse_board_vectors[VECTOR_COUNT] = {
    (vector_t)(uintptr_t)__stack_top,
    Reset_Handler,
    Fault_Handler, Fault_Handler, FAULT4_, FAULT4_, FAULT4_, /* exceptions 2-15 */
    FAULT16_, FAULT16_,                                      /* IRQs 0-31 */
};
