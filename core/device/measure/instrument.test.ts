/** Per-op probes in a generated network, and which library members the SDK pulled into a link. */
import { describe, expect, test } from 'vitest';
import { instrumentOps } from './instrument.js';
import { membersPulledBy, parseArchiveMembers, rootObjects } from './libc-attribution.js';

const MODEL_C = `/* model.c */
#include "model.h"

void model_invoke(uint8_t *arena) {
  /* op 1: reshape
   *   in t0 */
  /* in place: the data is already laid out in the new shape */

  /* op 0: fully connected
   *   in t2 */
  fully_connected_s8(&op0_params, (int8_t *)(arena + 0), model_t3, model_t4, (int8_t *)(arena + 16));
}
`;

describe('measurement instrumentation', () => {
  test('wraps each op in the probe of its region, in the generated order', () => {
    const out = instrumentOps(MODEL_C, 'model_invoke', (op) => (op === 0 ? 7 : 8))!;
    expect(out.startsWith('#include "probe.h"\n')).toBe(true);
    expect(out.indexOf('IMPULSE_PROBE_BEGIN(8)')).toBeLessThan(out.indexOf('IMPULSE_PROBE_BEGIN(7)'));
    expect(out).toContain('IMPULSE_PROBE_BEGIN(7);\n  {\n  /* op 0: fully connected');
    expect(out).toContain('(int8_t *)(arena + 16));\n  }\n  IMPULSE_PROBE_END(7);');
  });

  test('gives up on a source of another shape', () => {
    expect(instrumentOps('void other(void) {}\n', 'model_invoke', () => 1)).toBeUndefined();
    expect(instrumentOps(MODEL_C, 'model_invoke', () => undefined)).toBeUndefined();
  });

  test('follows archive members back to the object that pulled them in', () => {
    const map = `Archive member included to satisfy reference by file (symbol)

/usr/lib/arm-none-eabi/lib/libm.a(lib_a-sf_round.o)
                              /tmp/x/build/obj/006-quantize.o (roundf)
/usr/lib/arm-none-eabi/lib/libc.a(lib_a-printf.o)
                              /tmp/x/build/obj/009-main.o (printf)
/usr/lib/arm-none-eabi/lib/libc.a(lib_a-vfprintf.o)
                              /usr/lib/arm-none-eabi/lib/libc.a(lib_a-printf.o) (_vfprintf_r)

Discarded input sections
`;
    const pulled = parseArchiveMembers(map);
    expect(pulled.size).toBe(3);
    expect(rootObjects(pulled).get('libc.a(lib_a-vfprintf.o)')).toBe('/tmp/x/build/obj/009-main.o');
    expect([...membersPulledBy(pulled, (o) => o.endsWith('006-quantize.o'))]).toEqual(['libm.a(lib_a-sf_round.o)']);
  });
});
