/** processInto (the allocation-free path core uses) writes exactly what process returns, over any old contents. */
import { describe, expect, test } from 'vitest';
import type { DspBlock, SignalInfo } from '../../core/plugin/types.js';
import { mapRows } from '../../core/run/map-rows.js';
import { dspBlocks } from './index.js';

const audio: SignalInfo = { shape: [8000, 1], frequency: 8000, axes: ['audio'] };
/** The image block reads images: 40 × 50 gray pixels (8000 values, like the audio windows). */
const gray: SignalInfo = { shape: [40, 200, 1] };
const infoOf = (type: string): SignalInfo => (type === 'image' ? gray : audio);

function windows(): Float32Array[] {
  const speech = Float32Array.from({ length: 8000 }, (_, i) => Math.round(3000 * Math.sin(i / 7) * Math.exp(-i / 3000) + ((i * 7919) % 200) - 100));
  const padded = new Float32Array(8000);
  padded.set(speech.subarray(0, 3000)); // speech, then digital silence (zero padding)
  const pixels = Float32Array.from(speech, (v) => Math.abs(v) % 256);
  return [speech, padded, new Float32Array(8000), pixels];
}

const defaults = (b: DspBlock) => Object.fromEntries(Object.entries((b.params as unknown as { properties: Record<string, { default: unknown }> }).properties).map(([k, v]) => [k, v.default]));

describe.each(dspBlocks.filter((b) => b.processInto).map((b) => [b.type, b] as const))('%s.processInto', (_type, block) => {
  test('equals process, also into a buffer full of garbage, and through mapRows', () => {
    const info = infoOf(block.type);
    const params = defaults(block) as never;
    const len = block.shape(params, info).reduce((a, b) => a * b, 1);
    for (const w of windows()) {
      const expected = block.process(params, w, info);
      const out = new Float32Array(len).fill(Number.NaN);
      block.processInto!(params, w, info, out);
      expect(out).toEqual(expected);
    }
    const all = windows();
    const flat = new Float32Array(all.length * 8000);
    all.forEach((w, i) => flat.set(w, i * 8000));
    const mapped = mapRows(block, params, info, flat, 8000, len);
    all.forEach((w, i) => expect(mapped.subarray(i * len, (i + 1) * len)).toEqual(block.process(params, w, info)));
  });
});
