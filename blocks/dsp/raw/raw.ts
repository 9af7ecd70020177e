/** The window itself, every value multiplied by `scale` (float32 result). */
export function runRaw(window: Float32Array, scale: number): Float32Array {
  const out = new Float32Array(window.length);
  if (scale === 1) out.set(window);
  else for (let i = 0; i < window.length; i++) out[i] = (window[i] as number) * scale;
  return out;
}
