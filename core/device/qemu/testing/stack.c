/* Uses a known amount of stack: a local array of STACK_USE bytes, every byte written, inside
 * region 0; region 1 uses (almost) none. */
#include <stdint.h>

#include "probe.h"

#ifndef STACK_USE
#define STACK_USE 6000
#endif

__attribute__((noinline)) static uint32_t deep(uint32_t seed) {
  volatile uint8_t buffer[STACK_USE];
  for (uint32_t i = 0; i < STACK_USE; i++) buffer[i] = (uint8_t)(seed + i);
  uint32_t sum = 0;
  for (uint32_t i = 0; i < STACK_USE; i += 64) sum += buffer[i];
  return sum;
}

__attribute__((noinline)) static uint32_t shallow(uint32_t x) { return x * 3u + 1u; }

int main(void) {
  IMPULSE_PROBE_BEGIN(0);
  uint32_t a = deep(7);
  IMPULSE_PROBE_END(0);
  IMPULSE_PROBE_BEGIN(1);
  uint32_t b = shallow(a);
  IMPULSE_PROBE_END(1);
  return b == 0xFFFFFFFFu;
}
