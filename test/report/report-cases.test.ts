/**
 * `impulse report` on small projects: a run that skipped bad files names them (with the input
 * block's reasons); an impulse without an int8 model or a device says so instead of drawing empty
 * charts; an impulse with a device gets the profile stage's table.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, test } from 'vitest';
import { expectOk, impulse, readJsonFile, stageDir } from '../support/cli.js';
import { makeProject, numberFiles, projectWithBadFiles } from '../support/project.js';

/** The HTML of one section of the page. */
function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  expect(start, `section ${id}`).toBeGreaterThanOrEqual(0);
  const end = html.indexOf('<section id=', start + 1);
  return html.slice(start, end < 0 ? undefined : end);
}

/** A flatten → k-means impulse on 8 small recordings per label, with `extra` lines appended to its file. */
function kmeansProject(name: string, extra = ''): Record<string, string> {
  return {
    'impulse.yaml': `version: 1
name: ${name}
data: { source: ./data, split: { test: 0.25 } }
input: { type: time-series, frequency: 1, axes: [x], window: { size: 4000ms, stride: 4000ms } }
dsp:
  flat: { type: flatten }
learn:
  k: { type: anomaly-kmeans, params: { clusters: 2 } }
${extra}`,
    ...numberFiles(['a', 'b'], 8),
  };
}

const page = (dir: string) => readFileSync(path.join(dir, 'build/report/index.html'), 'utf8');

describe('impulse report', () => {
  test('a run that skipped bad files names each with its reason; no int8 and no device are said, not drawn', async () => {
    const files = projectWithBadFiles();
    const dir = makeProject(files);
    const r = await impulse(dir, 'report', '.');
    expectOk(r);
    expect(r.stdout).toContain('report: build/report/index.html (');
    expect(r.stdout).toContain('2 skipped files named in the dataset section');
    expect(r.stdout).toContain('learn:anomaly: no int8 model (anomaly-kmeans has no network');
    expect(r.stdout).toContain('no device profile');

    const html = page(dir);
    const skipped = readJsonFile<{ sample: string; reason: string }[]>(path.join(stageDir(dir, 'input'), 'skipped.json'));
    expect(skipped.map((s) => s.sample).sort()).toEqual(['a/broken.csv', 'b/empty.csv']);
    const dataset = section(html, 'dataset');
    expect(dataset).toContain('Skipped: 2 files (data.onError: skip)');
    for (const s of skipped) {
      expect(dataset).toContain(`data-skipped="${s.sample}"`);
      expect(dataset).toContain(`<td>${s.reason.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')}</td>`);
    }
    expect(html).toMatch(/<b>2<\/b><span>files skipped \(see dataset\)<\/span>/);

    expect(section(html, 'confusion')).toContain('is an anomaly block');
    expect(section(html, 'per-class')).toContain('No classifier with test metrics');
    const device = section(html, 'device');
    expect(device).toContain('The impulse names no device');
    expect(device).not.toContain('<svg');
    // the anomaly block's scores are drawn, with its suggested threshold
    const anomaly = section(html, 'anomaly');
    expect(anomaly).toContain('<svg');
    expect(anomaly).toMatch(/suggested threshold [\d.]+ \(p99 of the training scores\)/);
    const metrics = readJsonFile<{ perLabel: { label: string; p50: number }[] }>(path.join(stageDir(dir, 'evaluate:anomaly'), 'metrics.json'));
    for (const l of metrics.perLabel) expect(anomaly).toContain(`data-metric="anomaly/anomaly/${l.label}/p50" data-value="${l.p50}"`);

    // the report is a stage like the others: a second report is served from the cache
    const again = await impulse(dir, 'report', '.', '--json');
    expectOk(again);
    const out = JSON.parse(again.stdout) as { file: string; bytes: number; notes: string[] };
    expect(out.file).toBe('build/report/index.html');
    expect(out.bytes).toBe(Buffer.byteLength(html));
    expect(page(dir)).toBe(html);
  });

  test('a classifier with quantize.type none: the int8 matrix and columns say why they are absent', async () => {
    const dir = makeProject({
      'impulse.yaml': `version: 1
name: float-only
seed: 1
data: { source: ./data, split: { test: 0.3 } }
input: { type: time-series, frequency: 1, axes: [x], window: { size: 4000ms, stride: 4000ms } }
dsp:
  flat: { type: flatten }
learn:
  classifier: { type: classifier, params: { layers: [ { dense: { units: 4 } } ], epochs: 3 }, quantize: { type: none } }
`,
      ...numberFiles(['a', 'b'], 10),
    });
    const r = await impulse(dir, 'report', '.');
    expectOk(r);
    expect(r.stdout).toContain('learn:classifier: no int8 model (learn.classifier.quantize.type is none');
    const html = page(dir);
    const confusion = section(html, 'confusion');
    expect(confusion).toContain('data-confusion="float32"');
    const int8 = confusion.slice(confusion.indexOf('data-confusion="int8"'));
    expect(int8).toMatch(/^data-confusion="int8"><p class="absent">No int8 model: learn\.classifier\.quantize\.type is none/);
    expect(int8.slice(0, int8.indexOf('</div>'))).not.toContain('<svg');
    expect(section(html, 'per-class')).toContain('No int8 column');
    expect(section(html, 'training')).toContain('<svg'); // the classifier trained: it has curves
  });

  test('with a device, the report depends on the profile stage and shows its figures, each marked estimated', async () => {
    const dir = makeProject(kmeansProject('sized', 'device: cortex-m4f-80mhz\n'));
    const graph = await impulse(dir, 'graph', '--json');
    expectOk(graph);
    const stages = (JSON.parse(graph.stdout) as { stages: { id: string; deps: string[] }[] }).stages;
    expect(stages.at(-1)!.id).toBe('report');
    expect(stages.at(-1)!.deps).toContain('profile');
    const r = await impulse(dir, 'report', '.');
    expectOk(r);
    expect(r.stdout).not.toContain('no device profile');
    const profile = readJsonFile<{ blocks: { id: string; estimated: { ms: number } }[]; fit: { fitsRam: boolean; fitsFlash: boolean } }>(path.join(stageDir(dir, 'profile'), 'profile.json'));
    const device = section(page(dir), 'device');
    expect(device).toContain('<b>cortex-m4f-80mhz</b>');
    expect(device).toContain(profile.fit.fitsRam && profile.fit.fitsFlash ? '<b>Fits</b>' : '<b>Does not fit</b>');
    expect(device).toContain('(estimated)');
    for (const b of profile.blocks) expect(device).toContain(`<td>${b.id}</td>`);
    expect(device).toContain('Not measured (estimates only)');
  });

  test('--open hands the page to $BROWSER', async () => {
    const dir = makeProject(kmeansProject('opened'));
    const opener = path.join(dir, 'browser.sh');
    const seen = path.join(dir, 'opened.txt');
    writeFileSync(opener, `#!/bin/sh\nprintf '%s' "$1" > '${seen}'\n`);
    chmodSync(opener, 0o755);
    const saved = process.env['BROWSER'];
    process.env['BROWSER'] = opener;
    try {
      expectOk(await impulse(dir, 'report', '.', '--open'));
    } finally {
      if (saved === undefined) delete process.env['BROWSER'];
      else process.env['BROWSER'] = saved;
    }
    await expect.poll(() => existsSync(seen) && readFileSync(seen, 'utf8')).toBe(pathToFileURL(path.join(dir, 'build/report/index.html')).href);
  });
});
