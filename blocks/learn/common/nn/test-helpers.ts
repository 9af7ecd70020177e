/**
 * Shared by the training tests of this folder (excluded from the build): deterministic input
 * values and a relative-tolerance comparison.
 */
import { expect } from 'vitest';

/** Deterministic values in (-1, 1). */
export const wave = (n: number, seed: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) % 1);

/** |got − want| < tol · max(1, |want|), element by element. */
export function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < got.length; i++) expect(Math.abs(got[i]! - want[i]!), `${what}[${i}]: ${got[i]} vs ${want[i]}`).toBeLessThan(tol * Math.max(1, Math.abs(want[i]!)));
}
