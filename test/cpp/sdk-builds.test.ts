/**
 * The generated library builds everywhere the issue names, warning-free: gcc and clang with
 * -std=c99 -Wall -Wextra -Werror -pedantic, arm-none-eabi-gcc for a Cortex-M4F, its own Makefile
 * and CMakeLists.txt, and C++ through impulse.hpp; and a golden copy of its file list and public
 * headers, so that an accidental change of the generated tree shows in review.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { compileObjects, CORTEX_M4F_FLAGS, haveCompiler, STRICT_C99_FLAGS } from '../support/compile-c.js';
import { haveTool } from '../support/shared.js';
import { sdkSpecOfModel } from '../../generators/cpp/sdk/spec.js';
import { fixtureModel, fixtureSdk } from './fixture-sdk.js';

const sdk = fixtureSdk(fixtureModel('micro_speech_quantized'), 'micro_speech');
const sources = [...sdk.files.keys()].filter((f) => f.startsWith('src/') && f.endsWith('.c'));

const dirs: string[] = [];
function writeSdk(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'impulse-sdk-'));
  dirs.push(dir);
  for (const [rel, text] of sdk.files) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('the library of micro_speech_quantized.tflite', () => {
  test.each([
    ['gcc', [...STRICT_C99_FLAGS, '-O2']],
    ['clang', [...STRICT_C99_FLAGS, '-O2']],
    ['arm-none-eabi-gcc', [...STRICT_C99_FLAGS, '-O2', ...CORTEX_M4F_FLAGS]],
  ] as const)('compiles warning-free with %s', async (compiler, flags) => {
    if (!haveCompiler(compiler)) return;
    const objects = await compileObjects({ files: sdk.files, compile: sources, compiler, flags: [...flags, '-ffp-contract=off'], includeDirs: ['src'] });
    expect(objects.size).toBe(sources.length);
  });

  test('its Makefile builds the library and the example, which classifies a window from a text file', () => {
    if (!haveTool('make') || !haveCompiler('gcc')) return;
    const dir = writeSdk();
    execFileSync('make', ['-s', 'CFLAGS=-std=c99 -O2 -Wall -Wextra -Werror -pedantic -ffp-contract=off'], { cwd: dir, stdio: 'pipe' });
    writeFileSync(path.join(dir, 'window.txt'), Array.from({ length: 1960 }, (_, i) => (i % 7) - 3).join(', '));
    const out = execFileSync(path.join(dir, 'build/classify'), ['window.txt'], { cwd: dir, encoding: 'utf8' });
    expect(out).toMatch(/^window 1: output_0=[\d.]+ output_1=[\d.]+ output_2=[\d.]+ output_3=[\d.]+ {2}top: output_\d\n$/);
    // a malformed file is an error message and exit code 2, not a crash
    writeFileSync(path.join(dir, 'bad.txt'), '1, 2, x');
    let code = 0;
    try {
      execFileSync(path.join(dir, 'build/classify'), ['bad.txt'], { cwd: dir, stdio: 'pipe' });
    } catch (e) {
      code = (e as { status: number }).status;
    }
    expect(code).toBe(2);
  });

  test('its CMakeLists.txt builds with -Werror', () => {
    if (!haveTool('cmake') || !haveCompiler('gcc')) return;
    const dir = writeSdk();
    execFileSync('cmake', ['-S', dir, '-B', path.join(dir, 'out'), '-DCMAKE_C_FLAGS=-Werror'], { stdio: 'pipe' });
    execFileSync('cmake', ['--build', path.join(dir, 'out')], { stdio: 'pipe' });
  });

  test('C++ code uses it through impulse.hpp (the window length checked at compile time)', async () => {
    if (!haveCompiler('g++') || !haveCompiler('gcc')) return;
    const dir = writeSdk();
    execFileSync('make', ['-s', 'lib'], { cwd: dir, stdio: 'pipe' });
    writeFileSync(
      path.join(dir, 'app.cpp'),
      `#include "impulse.hpp"
#include <cstdio>
int main() {
  static float window[impulse::kInputLength] = {};
  impulse::Result r;
  if (impulse::init() != IMPULSE_OK) return 1;
  impulse::Status s = impulse::run(window, r);
  std::printf("%s %s\\n", impulse::message(s), impulse::label(r.top));
  return s == IMPULSE_OK ? 0 : 2;
}
`,
    );
    execFileSync('g++', ['-std=c++11', '-Wall', '-Wextra', '-Werror', '-pedantic', '-Isrc', 'app.cpp', 'build/libimpulse.a', '-lm', '-o', 'app'], { cwd: dir, stdio: 'pipe' });
    expect(execFileSync(path.join(dir, 'app'), { encoding: 'utf8' })).toMatch(/^ok output_\d\n$/);
  });

  test("set to XNNPACK's arithmetic (for comparing with desktop TFLite), it is refused: the C implements TFLite's integer arithmetics", () => {
    const model = fixtureModel('micro_speech_quantized');
    const xnnpack = { ...model, metadata: { ...model.metadata, rounding: 'xnnpack' as const } };
    expect(() => sdkSpecOfModel(xnnpack, 'micro_speech')).toThrow(expect.objectContaining({ code: 'E_DEPLOY_CPP', message: expect.stringContaining("rounding 'xnnpack'"), hint: expect.stringContaining("'single'") }));
  });

  test('golden: the file list and the public headers', async () => {
    await expect([...sdk.files.keys()].sort().join('\n') + '\n').toMatchFileSnapshot('./golden/micro_speech.files.txt');
    await expect(sdk.files.get('src/impulse.h')).toMatchFileSnapshot('./golden/micro_speech.impulse.h');
    await expect(sdk.files.get('src/impulse_metadata.h')).toMatchFileSnapshot('./golden/micro_speech.impulse_metadata.h');
  });
});
