/** Version of the block's output. 2: the scale is applied in float32, as the C does (was float64). */
export const RAW_VERSION = 2;

/**
 * The window itself, every value multiplied by `scale` — the TS twin of c/raw.c: a float32 product
 * (value × float32(scale)), or a copy when the scale is 1.
 */
export function runRaw(window: ArrayLike<number>, scale: number): Float32Array {
  const out = new Float32Array(window.length);
  rawInto(window, scale, out);
  return out;
}

/** runRaw into `out` (as many values as the window). */
export function rawInto(window: ArrayLike<number>, scale: number, out: Float32Array): void {
  const s = Math.fround(scale);
  if (s === 1) {
    for (let i = 0; i < window.length; i++) out[i] = window[i] as number;
  } else {
    for (let i = 0; i < window.length; i++) out[i] = Math.fround(window[i] as number) * s;
  }
}
