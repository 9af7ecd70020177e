/**
 * Test harness for the blocks' C code: puts the `BlockCCode` of one or more instances into one
 * program with a small driver, compiles it on the host and runs windows through it.
 *
 * The driver reads windows (float32, binary) from stdin and writes each output (float32) to stdout.
 * Around every call it fills the scratch and the output — plus CANARY_FLOATS floats past each — with
 * a NaN pattern, then checks the canaries are untouched (exit 3 naming the buffer), so a block that
 * uses more scratch than it declares, writes past its output or reads scratch it never wrote (the
 * NaN shows in the features) fails the test.
 */
import type { BlockCCode } from '../../../core/plugin/types.js';
import { bufferToFloats, compileC, floatsToBuffer, type CompiledProgram } from '../../../test/support/compile-c.js';

export const CANARY_FLOATS = 64;

export interface DspInstance {
  readonly fn: string;
  readonly code: BlockCCode;
  readonly inputFloats: number;
  readonly outputFloats: number;
}

/** The files of a program: shared sources under blocks/, one file per instance, the driver (main.c). */
export function programFiles(instances: readonly DspInstance[], driver: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const inst of instances) {
    for (const [p, text] of inst.code.sources) {
      const key = `blocks/${p}`;
      const prev = files.get(key);
      if (prev !== undefined && prev !== text) throw new Error(`two blocks give different content for ${p}`);
      files.set(key, text);
    }
    files.set(`instances/${inst.fn}.c`, inst.code.instance);
  }
  files.set('main.c', driver);
  return files;
}

/** main.c: `program <instance index>` runs that instance on every window read from stdin. */
export function dspDriver(instances: readonly DspInstance[]): string {
  const protos = instances.map((i) => `int ${i.fn}(const float *input, float *output, float *scratch);`).join('\n');
  const rows = instances.map((i) => `    { ${i.fn}, ${i.inputFloats}u, ${i.outputFloats}u, ${i.code.scratchFloats}u },`).join('\n');
  return `/* Test driver: windows on stdin → features on stdout, with canaries around scratch and output. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

${protos}

typedef int (*dsp_fn)(const float *input, float *output, float *scratch);

typedef struct {
    dsp_fn fn;
    uint32_t input;
    uint32_t output;
    uint32_t scratch;
} instance;

static const instance INSTANCES[] = {
${rows}
};

#define CANARY_FLOATS ${CANARY_FLOATS}u
static const uint32_t CANARY = 0x7fc0de5du; /* a quiet NaN */

static void paint(float *p, uint32_t n)
{
    uint32_t i;
    for (i = 0; i < n; i++) {
        memcpy(&p[i], &CANARY, sizeof CANARY);
    }
}

static int painted(const float *p, uint32_t n)
{
    uint32_t i;
    for (i = 0; i < n; i++) {
        if (memcmp(&p[i], &CANARY, sizeof CANARY) != 0) {
            return 0;
        }
    }
    return 1;
}

int main(int argc, char **argv)
{
    const instance *in;
    float *input, *output, *scratch;
    unsigned long windows = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: program <instance index>\\n");
        return 2;
    }
    in = &INSTANCES[atoi(argv[1])];
    input = malloc(sizeof(float) * (in->input + 1u));
    output = malloc(sizeof(float) * (in->output + CANARY_FLOATS));
    scratch = malloc(sizeof(float) * (in->scratch + CANARY_FLOATS));
    if (input == NULL || output == NULL || scratch == NULL) {
        return 2;
    }
    while (fread(input, sizeof(float), in->input, stdin) == in->input) {
        int rc;
        paint(output, in->output + CANARY_FLOATS);
        paint(scratch, in->scratch + CANARY_FLOATS);
        rc = in->fn(input, output, scratch);
        if (rc != 0) {
            fprintf(stderr, "window %lu: returned %d\\n", windows, rc);
            return 4;
        }
        if (!painted(scratch + in->scratch, CANARY_FLOATS)) {
            fprintf(stderr, "window %lu: wrote past the %u declared scratch floats\\n", windows, (unsigned)in->scratch);
            return 3;
        }
        if (!painted(output + in->output, CANARY_FLOATS)) {
            fprintf(stderr, "window %lu: wrote past the %u output floats\\n", windows, (unsigned)in->output);
            return 3;
        }
        fwrite(output, sizeof(float), in->output, stdout);
        windows++;
    }
    free(input);
    free(output);
    free(scratch);
    return 0;
}
`;
}

/** A compiled program of DSP instances. */
export interface DspProgram {
  readonly program: CompiledProgram;
  /** Runs instance `index` on the windows (each inputFloats long); returns outputs back to back. */
  run(index: number, windows: readonly Float32Array[]): Promise<Float32Array>;
  cleanup(): void;
}

export async function compileDsp(instances: readonly DspInstance[], options: { compiler?: string; flags?: readonly string[] } = {}): Promise<DspProgram> {
  const program = await compileC({
    files: programFiles(instances, dspDriver(instances)),
    includeDirs: ['blocks'],
    compiler: options.compiler,
    flags: options.flags,
  });
  return {
    program,
    async run(index, windows) {
      const inst = instances[index];
      if (!inst) throw new Error(`no instance ${index}`);
      const stdin = new Float32Array(windows.length * inst.inputFloats);
      windows.forEach((w, i) => {
        if (w.length !== inst.inputFloats) throw new Error(`window ${i} has ${w.length} values, ${inst.fn} reads ${inst.inputFloats}`);
        stdin.set(w, i * inst.inputFloats);
      });
      const r = await program.run({ stdin: floatsToBuffer(stdin), args: [String(index)] });
      const out = bufferToFloats(r.stdout);
      if (out.length !== windows.length * inst.outputFloats) throw new Error(`${inst.fn}: ${out.length} output floats for ${windows.length} windows`);
      return out;
    },
    cleanup: () => program.cleanup(),
  };
}
