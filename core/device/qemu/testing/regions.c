/* Two measurement regions with known relative work (1x and 3x the same loop), plus work outside
 * any region that must not be counted. The loop length comes from argv[1]. */
#include <stdlib.h>

#include "probe.h"

static volatile unsigned sink;

__attribute__((noinline)) static unsigned work(unsigned n) {
  unsigned acc = 1;
  for (unsigned i = 0; i < n; i++) acc = acc * 3u + (i ^ (acc >> 7));
  return acc;
}

int main(int argc, char **argv) {
  unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], 0, 10) : 1000u;
  sink = work(10u * n); /* outside every region */
  IMPULSE_PROBE_BEGIN(0);
  sink = work(n);
  IMPULSE_PROBE_END(0);
  IMPULSE_PROBE_BEGIN(1);
  sink = work(3u * n);
  IMPULSE_PROBE_END(1);
  return 0;
}
