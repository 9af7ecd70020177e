/**
 * math32: accuracy of ikLogf / ikLog10f / ikExpf against float64 Math.log / log10 / exp (≤ 2 ulp,
 * over a sweep of every float32 binade and the edge cases), and bit equality of the TS with the C
 * (c/math32.c) compiled by gcc and clang (-O2, and gcc -O3 -march=native) and, with arm-none-eabi-gcc and newlib, run on an emulated
 * Cortex-M4F (QEMU mps2-an386), over the same values (compared as Uint32).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { haveTool } from '../../../test/support/shared.js';
import { buildDeviceProgram } from '../testing/device-harness.js';
import { bufferToFloats, compileC, EXACT_FLOAT_FLAGS, floatsToBuffer, haveCompiler, STRICT_C99_FLAGS, type CompiledProgram } from '../../../test/support/compile-c.js';
import { C_SOURCES } from './c-sources.gen.js';
import { ikExpf, ikLog10f, ikLogf } from './math32.js';

const floatView = new Float32Array(1);
const bitView = new Uint32Array(floatView.buffer);
const floatOfBits = (u: number): number => {
  bitView[0] = u;
  return floatView[0] as number;
};

/** Spacing of float32 values at |t| (subnormal spacing below the normal range). */
function ulpAt(t: number): number {
  const a = Math.abs(t);
  return a < 2 ** -126 ? 2 ** -149 : 2 ** (Math.floor(Math.log2(a)) - 23);
}

/** Zeros, subnormals, powers of two and their neighbours, 1 ± ulp, the largest float, ±∞, NaN, negatives. */
const EDGE_BITS = [
  0x00000000, 0x80000000, 0x00000001, 0x00000002, 0x00000003, 0x000fffff, 0x00400000, 0x007fffff, 0x00800000, 0x00800001,
  0x3f7fffff, 0x3f800000, 0x3f800001, 0x3f3504f3, 0x3f3504f2, 0x3fb504f3, 0x3fb504f2, 0x7f7fffff, 0x7f800000, 0xff800000,
  0x7fc00000, 0xbf800000, 0x80000001, 0xc2c80000, 0x2edbe6ff, 0x3c23d70a,
];
const POWERS_OF_TWO = Array.from({ length: 277 }, (_, i) => 2 ** (i - 149)).flatMap((p) => [p, Math.fround(p * (1 + 2 ** -23)), Math.fround(p * (1 - 2 ** -24))]);

/** Positive finite floats: every 4099th bit pattern (all binades, many mantissas), edges, powers of two. */
function logInputs(): Float32Array {
  const v: number[] = [...EDGE_BITS.map(floatOfBits), ...POWERS_OF_TWO];
  for (let u = 1; u < 0x7f800000; u += 4099) v.push(floatOfBits(u));
  return Float32Array.from(v);
}

/** Exponential arguments: a dense sweep over the finite range, the overflow / underflow edges, integers, edges. */
function expInputs(): Float32Array {
  const v: number[] = [...EDGE_BITS.map(floatOfBits), 88.72283, 88.7228394, 88.72284, -103.972084, -103.97208, -103.9721, -87.33655, -87.33654, -126 * Math.LN2, -149 * Math.LN2];
  for (let i = 0; i <= 200_000; i++) v.push(-110 + (205 * i) / 200_000);
  for (let k = -150; k <= 128; k++) v.push(k * Math.LN2, k * Math.LN2 + 0.5 * Math.LN2, k);
  return Float32Array.from(v);
}

const FUNCTIONS = [
  ['ikLogf', ikLogf, Math.log, 'log', logInputs],
  ['ikLog10f', ikLog10f, Math.log10, 'log10', logInputs],
  ['ikExpf', ikExpf, Math.exp, 'exp', expInputs],
] as const;

describe('accuracy against float64', () => {
  test.each(FUNCTIONS)('%s: within 2 ulp of the exact result', (_name, fn, exact, _mode, inputs) => {
    let worst = 0;
    let at = 0;
    for (const x of inputs()) {
      const want = exact(x);
      const got = fn(x);
      if (!Number.isFinite(want) || Math.abs(want) > 3.4028234663852886e38) {
        if (!Object.is(got, Math.fround(want))) expect(got, `f(${x})`).toBe(Math.fround(want));
        continue;
      }
      const e = Math.abs(got - want) / ulpAt(want);
      if (e > worst) {
        worst = e;
        at = x;
      }
    }
    expect(worst, `worst at ${at}`).toBeLessThanOrEqual(2);
    // in fact ~1 ulp (measured: ln 0.87, log10 0.92, exp 1.19)
    expect(worst).toBeLessThanOrEqual(1.25);
  });

  test('special values', () => {
    for (const fn of [ikLogf, ikLog10f]) {
      expect([fn(0), fn(-0), fn(Infinity)]).toEqual([-Infinity, -Infinity, Infinity]);
      expect([fn(-1), fn(-Infinity), fn(NaN), fn(-1e-45)].every(Number.isNaN)).toBe(true);
      expect(fn(1)).toBe(0);
    }
    expect(ikLog10f(10)).toBe(1);
    expect(ikLog10f(1e-10 as number)).toBe(Math.fround(Math.log10(Math.fround(1e-10))));
    expect([ikExpf(0), ikExpf(-Infinity), ikExpf(Infinity), ikExpf(-200), ikExpf(100)]).toEqual([1, 0, Infinity, 0, Infinity]);
    expect(Number.isNaN(ikExpf(NaN))).toBe(true);
    expect(ikExpf(-103)).toBeGreaterThan(0); // subnormal result, rounded once
    expect(ikExpf(-103)).toBe(Math.fround(Math.exp(-103)));
  });
});

const driver = `#include <stdio.h>
#include <string.h>
#include "common/math32.h"
int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";
    float x;
    while (fread(&x, sizeof x, 1, stdin) == 1) {
        float y = strcmp(mode, "log") == 0 ? ik_logf(x) : strcmp(mode, "log10") == 0 ? ik_log10f(x) : ik_expf(x);
        fwrite(&y, sizeof y, 1, stdout);
    }
    return 0;
}
`;

const BUILDS = [
  { name: 'gcc', compiler: 'gcc', opt: ['-O2'] },
  { name: 'clang', compiler: 'clang', opt: ['-O2'] },
  { name: 'gcc -O3 -march=native', compiler: 'gcc', opt: ['-O3', '-march=native'] },
].filter((b) => haveCompiler(b.compiler));
const compilers = BUILDS.map((b) => b.name);
const programs = new Map<string, CompiledProgram>();

beforeAll(async () => {
  for (const { name, compiler, opt } of BUILDS) {
    programs.set(
      name,
      await compileC({
        files: new Map([
          ['main.c', driver],
          ['blocks/common/math32.h', C_SOURCES.get('common/math32.h') as string],
          ['blocks/common/math32.c', C_SOURCES.get('common/math32.c') as string],
        ]),
        compiler,
        includeDirs: ['blocks'],
        flags: [...STRICT_C99_FLAGS, ...EXACT_FLOAT_FLAGS, ...opt],
        libs: [],
      }),
    );
  }
}, 120_000);

afterAll(() => {
  for (const p of programs.values()) p.cleanup();
});

describe.skipIf(compilers.length === 0)('the C twin (c/math32.c) gives the same bits', () => {
  test.each(compilers.flatMap((c) => FUNCTIONS.map((f) => [c, f[0], f] as const)))('%s: %s', async (compiler, _name, [, fn, , mode, inputs]) => {
    const x = inputs();
    const out = await (programs.get(compiler) as CompiledProgram).run({ stdin: floatsToBuffer(x), args: [mode] });
    const got = new Uint32Array(bufferToFloats(out.stdout).buffer);
    const want = new Uint32Array(Float32Array.from(x, fn).buffer);
    expect(got.length).toBe(want.length);
    let differ = 0;
    let first = '';
    for (let i = 0; i < want.length; i++) {
      if (got[i] !== want[i]) {
        if (differ++ === 0) first = `${mode}(${x[i]}): C ${floatOfBits(got[i] as number)} (0x${(got[i] as number).toString(16)}), TS ${floatOfBits(want[i] as number)} (0x${(want[i] as number).toString(16)})`;
      }
    }
    expect(differ, first).toBe(0);
  });
});

const BLOCK = 4096;
const deviceInstance = `#include "common/math32.h"
int math_on_device(const float *input, float *output, float *scratch);
/* ${BLOCK} values in; their ik_logf, ik_log10f and ik_expf out. */
int math_on_device(const float *input, float *output, float *scratch)
{
    unsigned i;
    (void)scratch;
    for (i = 0; i < ${BLOCK}u; i++) {
        output[i] = ik_logf(input[i]);
        output[${BLOCK}u + i] = ik_log10f(input[i]);
        output[${2 * BLOCK}u + i] = ik_expf(input[i]);
    }
    return 0;
}
`;

const haveDevice = ['arm-none-eabi-gcc', 'arm-none-eabi-nm', 'arm-none-eabi-size', 'qemu-system-arm', 'gcc'].every((t) => haveTool(t));

describe.skipIf(!haveDevice)('on an emulated Cortex-M4F (arm-none-eabi-gcc -O2, newlib, QEMU mps2-an386)', () => {
  test('ik_logf, ik_log10f and ik_expf give the same bits as the TS on the log and exp inputs', async () => {
    const values = [...logInputs(), ...expInputs()];
    const windows: Float32Array[] = [];
    for (let i = 0; i < values.length; i += BLOCK) {
      const w = new Float32Array(BLOCK).fill(1);
      w.set(values.slice(i, i + BLOCK));
      windows.push(w);
    }
    const device = await buildDeviceProgram([
      {
        fn: 'math_on_device',
        code: { sources: new Map([['common/math32.h', C_SOURCES.get('common/math32.h') as string], ['common/math32.c', C_SOURCES.get('common/math32.c') as string]]), instance: deviceInstance, scratchFloats: 0 },
        inputFloats: BLOCK,
        outputFloats: 3 * BLOCK,
      },
    ]);
    try {
      const { outputs } = await device.run(0, windows);
      const got = new Uint32Array(outputs.buffer);
      let differ = 0;
      let first = '';
      windows.forEach((w, k) => {
        for (const [j, fn] of [ikLogf, ikLog10f, ikExpf].entries()) {
          const want = new Uint32Array(Float32Array.from(w, fn).buffer);
          for (let i = 0; i < BLOCK; i++) {
            if (got[k * 3 * BLOCK + j * BLOCK + i] !== want[i] && differ++ === 0) first = `function ${j} of ${w[i]}: device 0x${(got[k * 3 * BLOCK + j * BLOCK + i] as number).toString(16)}, TS 0x${(want[i] as number).toString(16)}`;
          }
        }
      });
      expect(differ, first).toBe(0);
    } finally {
      device.cleanup();
    }
  }, 600_000);
});
