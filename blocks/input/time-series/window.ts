/** Pure signal helpers of the time-series block: windowing and linear resampling. */

/** Start frames of the windows of a sample of `frames` frames: 0, stride, 2·stride ... while a window fits. */
export function windowStarts(frames: number, size: number, stride: number): number[] {
  const starts: number[] = [];
  for (let s = 0; s + size <= frames; s += stride) starts.push(s);
  return starts;
}

/**
 * Linear resampling of interleaved frames from `from` Hz to `to` Hz. Output frame j sits at
 * time j / to; frames past the last input frame are not produced.
 */
export function resampleLinear(data: Float32Array, frames: number, channels: number, from: number, to: number): { data: Float32Array; frames: number } {
  if (frames <= 1 || from === to) return { data, frames };
  const ratio = from / to;
  const outFrames = Math.floor(((frames - 1) * to) / from + 1e-9) + 1;
  const out = new Float32Array(outFrames * channels);
  for (let j = 0; j < outFrames; j++) {
    const x = j * ratio;
    const i0 = Math.min(Math.floor(x), frames - 1);
    const i1 = Math.min(i0 + 1, frames - 1);
    const w = x - i0;
    for (let c = 0; c < channels; c++) {
      const a = data[i0 * channels + c] ?? 0;
      const b = data[i1 * channels + c] ?? 0;
      out[j * channels + c] = a + (b - a) * w;
    }
  }
  return { data: out, frames: outFrames };
}

/** The columns `pick` (indices into `channels`) of interleaved frames, in that order. */
export function pickAxes(data: Float32Array, frames: number, channels: number, pick: readonly number[]): Float32Array {
  if (pick.length === channels && pick.every((p, i) => p === i)) return data;
  const k = pick.length;
  const out = new Float32Array(frames * k);
  for (let f = 0; f < frames; f++) for (let a = 0; a < k; a++) out[f * k + a] = data[f * channels + (pick[a] ?? 0)] ?? 0;
  return out;
}
