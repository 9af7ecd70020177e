/** The work counts of ops, against a brute-force walk of the same loops the C kernels run. */
import { describe, expect, test } from 'vitest';
import { windowGeometry } from '../../model/kernels/geometry.js';
import { ModelBuilder } from '../../model/builder.js';
import type { Padding, Pair } from '../../model/ir.js';
import { opWork } from './op-work.js';

/** Counts taps inside the image by visiting every (oy, ox, ky, kx), as conv2d_s8.c does. */
function bruteTaps(inShape: readonly number[], k: Pair, stride: Pair, padding: Padding): number {
  const g = windowGeometry(inShape, k, stride, [1, 1], padding);
  let taps = 0;
  for (let oy = 0; oy < g.outH; oy++)
    for (let ox = 0; ox < g.outW; ox++)
      for (let ky = 0; ky < g.kH; ky++)
        for (let kx = 0; kx < g.kW; kx++) {
          const iy = oy * g.strideH - g.padTop + ky;
          const ix = ox * g.strideW - g.padLeft + kx;
          if (iy >= 0 && iy < g.inH && ix >= 0 && ix < g.inW) taps++;
        }
  return taps;
}

function conv(h: number, w: number, c: number, outC: number, k: Pair, stride: Pair, padding: Padding, depthwise = false) {
  const b = new ModelBuilder();
  const x = b.tensor('x', [1, h, w, c], 'int8');
  const wt = b.tensor('w', depthwise ? [1, k[0], k[1], outC] : [outC, k[0], k[1], c], 'int8', { data: new Int8Array(outC * k[0] * k[1] * (depthwise ? 1 : c)) });
  const g = windowGeometry([1, h, w, c], k, stride, [1, 1], padding);
  const y = b.tensor('y', [1, g.outH, g.outW, outC], 'int8');
  if (depthwise) b.op({ op: 'depthwiseConv2d', inputs: [x, wt, -1], outputs: [y], stride, dilation: [1, 1], padding, depthMultiplier: outC / c, activation: 'none' });
  else b.op({ op: 'conv2d', inputs: [x, wt, -1], outputs: [y], stride, dilation: [1, 1], padding, activation: 'none' });
  const m = b.build([x], [y]);
  return { m, taps: bruteTaps([1, h, w, c], k, stride, padding), outputs: g.outH * g.outW * outC, positions: g.outH * g.outW };
}

describe('op work', () => {
  test.each([
    [9, 9, 3, 8, [3, 3], [2, 2], 'same'],
    [10, 7, 1, 4, [5, 3], [1, 2], 'same'],
    [12, 12, 8, 16, [3, 3], [1, 1], 'valid'],
    [1, 48, 13, 24, [1, 3], [1, 1], 'same'],
  ] as const)('conv2d %ix%ix%i → %i, kernel %j stride %j %s: MACs are the in-image taps × channels', (h, w, c, outC, k, stride, padding) => {
    const { m, taps, outputs, positions } = conv(h, w, c, outC, k, stride, padding);
    const work = opWork(m, m.ops[0]!);
    expect(work.kind).toBe('conv2d.s8');
    expect(work.macs).toBe(taps * c * outC);
    expect(work.loops).toBe(taps * outC);
    expect(work.outputs).toBe(outputs);
    expect(work.weightBytesRead).toBe(outC * k[0] * k[1] * c * positions);
  });

  test('depthwise: one MAC per in-image tap and output channel', () => {
    const { m, taps, outputs } = conv(20, 10, 2, 8, [4, 4], [2, 2], 'same', true);
    const work = opWork(m, m.ops[0]!);
    expect(work.kind).toBe('depthwiseConv2d.s8');
    expect(work.macs).toBe(taps * 8);
    expect(work.outputs).toBe(outputs);
  });

  test('fully connected, and a reshape planned in place does nothing', () => {
    const b = new ModelBuilder();
    const x = b.tensor('x', [1, 2, 5], 'float32');
    const r = b.tensor('r', [1, 10], 'float32');
    const w = b.tensor('w', [3, 10], 'float32', { data: new Float32Array(30) });
    const y = b.tensor('y', [1, 3], 'float32');
    b.op({ op: 'reshape', inputs: [x], outputs: [r] });
    b.op({ op: 'fullyConnected', inputs: [r, w, -1], outputs: [y], activation: 'relu' });
    const m = b.build([x], [y]);
    expect(opWork(m, m.ops[1]!)).toMatchObject({ kind: 'fullyConnected.f32', calls: 1, macs: 30, loops: 3, outputs: 3, weightBytesRead: 120 });
    expect(opWork(m, m.ops[0]!, true)).toMatchObject({ kind: 'reshape.f32', calls: 0, outputs: 0 });
    expect(opWork(m, m.ops[0]!, false)).toMatchObject({ calls: 1, outputs: 40 });
  });
});
