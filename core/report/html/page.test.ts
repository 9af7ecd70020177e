import { describe, expect, test } from 'vitest';
import { syntheticReport } from '../testing/synthetic-report.js';
import { renderReportPage, SECTIONS } from './page.js';

/** The HTML of one section (from its opening tag to the next section's). */
function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  expect(start, `section ${id}`).toBeGreaterThanOrEqual(0);
  const end = html.indexOf('<section id=', start + 1);
  return html.slice(start, end < 0 ? undefined : end);
}

describe('the report page', () => {
  test('at the caps of every list (35 labels, 2000 points, 200 slices, 200 skipped files, 5000 anomaly scores) it stays under 2 MB', async () => {
    const data = syntheticReport({ labels: 35, points: 2000, epochs: 200, slices: 400, changed: 300, skipped: 200, int8: true, device: true, anomalyScores: 5000 });
    const html = await renderReportPage(data);
    const bytes = Buffer.byteLength(html);
    console.log(`worst-case report: ${(bytes / 1024).toFixed(0)} KB`);
    expect(bytes).toBeLessThan(2 * 1024 * 1024);
    for (const s of SECTIONS) expect(html).toContain(`<section id="${s.id}">`);
  }, 60_000);

  test('without an int8 model or a device profile it says so instead of drawing empty charts', async () => {
    const html = await renderReportPage(syntheticReport({ labels: 3, points: 50, epochs: 5, slices: 5, changed: 0, skipped: 0, int8: false, device: false }));
    const confusion = section(html, 'confusion');
    const int8 = confusion.slice(confusion.indexOf('data-confusion="int8"'));
    expect(int8).toMatch(/^data-confusion="int8"><p class="absent">No int8 model: learn\.classifier\.quantize\.type is none/);
    expect(int8.slice(0, int8.indexOf('</div>'))).not.toContain('<svg');
    expect(section(html, 'per-class')).toContain('No int8 column');
    const device = section(html, 'device');
    expect(device).toContain('<p class="absent">The impulse names no device');
    expect(device).toContain('<code>device: cortex-m4f-80mhz</code>');
    expect(device).not.toContain('<svg');
    expect(section(html, 'anomaly')).toContain('has no anomaly block');
    expect(section(html, 'dataset')).toContain('No file was skipped');
  });

  test('the device section: per block ms estimated and measured, memory by kind, the verdict', async () => {
    const html = await renderReportPage(syntheticReport({ labels: 3, points: 50, epochs: 5, slices: 5, changed: 2, skipped: 1, int8: true, device: true }));
    const device = section(html, 'device');
    expect(device).toContain('<b>cortex-m4f-80mhz</b> (80 MHz, 256.0 KB RAM, 1.00 MB flash)');
    expect(device).toContain('<b>Fits</b>: the impulse needs 55.7 KB RAM and 61.8 KB flash (measured)');
    expect(device).toMatch(/<td>mfcc<\/td><td>dsp · mfcc<\/td><td class="n">12\.5<\/td><td class="n">11\.9<\/td>/);
    expect(device).toContain('30.1*'); // estimated with a default cost row: marked
    expect(device).toContain('<td>RAM arena (activations)</td>');
    expect(device).toContain('int8 outputs identical to the TS interpreter on 25 of 25 windows');
    expect(device).toContain('<svg');
    expect(section(html, 'dataset')).toContain('data-skipped="bad/broken_0.wav"');
  });
});
