/**
 * The impulse report of the activity example (real st_har recordings, trained briefly as
 * test/e2e/activity-example.test.ts does), opened in headless Chromium (Debian's `chromium`, via
 * playwright-core): it loads with no console error and no request but its own file, every section
 * is there, hovering a point of the feature explorer names its sample file, a full-page screenshot
 * is taken and its size checked, and every number the page marks equals metrics.json's.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SECTIONS } from '../../core/report/html/page.js';
import { count, pct } from '../../core/report/html/format.js';
import { skipWithoutTool } from '../oracles/require-tool.js';
import { expectOk, impulse, readJsonFile, stageDir } from '../support/cli.js';
import { copyOfTrainedExample } from '../support/trained-example.js';

const CHROMIUM = '/usr/bin/chromium';
const TWO_MB = 2 * 1024 * 1024;

interface ClassMetrics {
  label: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}
interface Metrics {
  accuracy: number;
  macroF1: number;
  perClass: ClassMetrics[];
  confusion: number[][];
  rows: number;
}

let dir: string;
let file: string;

beforeAll(async () => {
  dir = await copyOfTrainedExample('activity'); // trained once per test run, shared
  const r = await impulse(dir, 'report', '.');
  expectOk(r);
  expect(r.stdout).toContain('report: build/report/index.html (');
  file = path.join(dir, 'build/report/index.html');
}, 300_000);

describe('the activity example\'s report', () => {
  test('is one self-contained file under 2 MB', () => {
    const bytes = statSync(file).size;
    console.log(`activity report: ${(bytes / 1024).toFixed(0)} KB`);
    expect(bytes).toBeLessThanOrEqual(TWO_MB);
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<(script|img|iframe)[^>]+src=/i);
    expect(html).not.toMatch(/<link[^>]+href="(?!data:)/i);
    expect(html).not.toMatch(/url\((?!#)/i);
    expect(html).toContain("Content-Security-Policy\" content=\"default-src 'none';");
  });

  describe('in headless Chromium', () => {
    let context: BrowserContext | undefined;
    let page: Page;
    const consoleErrors: string[] = [];
    const requests: string[] = [];

    beforeAll(async () => {
      if (!existsSync(CHROMIUM)) return;
      context = await chromium.launchPersistentContext(mkdtempSync(path.join(os.tmpdir(), 'impulse-chromium-')), {
        executablePath: CHROMIUM,
        headless: true,
        viewport: { width: 1280, height: 900 },
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      });
      page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') consoleErrors.push(`${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
      page.on('request', (req) => requests.push(req.url()));
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    }, 60_000);
    afterAll(async () => {
      await context?.close();
    });

    test('loads with no console error and fetches nothing but itself; every section is there', async ({ skip }) => {
      skipWithoutTool(skip, `Chromium (${CHROMIUM}, Debian package chromium)`, () => existsSync(CHROMIUM));
      expect(consoleErrors).toEqual([]);
      expect(requests).toEqual([pathToFileURL(file).href]);
      expect(await page.title()).toBe('activity: impulse report');
      for (const s of SECTIONS) {
        await expect.poll(() => page.locator(`section#${s.id} > h2`).textContent()).toBe(s.title);
        expect(await page.locator(`section#${s.id}`).isVisible()).toBe(true);
      }
      // charts are inline SVG drawn at generation time, in every section that has data
      for (const id of ['dataset', 'training', 'confusion', 'per-class', 'features', 'slices']) expect(await page.locator(`section#${id} svg`).count(), id).toBeGreaterThan(0);
      expect(await page.locator('section#confusion [data-confusion="int8"] svg').count()).toBe(1);
      expect(await page.locator('section#device .absent').textContent()).toContain('names no device');
    });

    test('every number the page marks equals metrics.json and metrics-int8.json', async ({ skip }) => {
      skipWithoutTool(skip, `Chromium (${CHROMIUM}, Debian package chromium)`, () => existsSync(CHROMIUM));
      const evaluate = stageDir(dir, 'evaluate:classifier');
      const metrics: Record<string, Metrics> = {
        float32: readJsonFile<Metrics>(path.join(evaluate, 'metrics.json')),
        int8: readJsonFile<Metrics>(path.join(evaluate, 'metrics-int8.json')),
      };
      const marked = await page.locator('[data-metric]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-metric'), e.getAttribute('data-value'), e.textContent] as const));
      const seen = new Set<string>();
      for (const [name, value, text] of marked) {
        const [learn, precision, ...rest] = name!.split('/');
        expect(learn).toBe('classifier');
        const m = metrics[precision!]!;
        let expected: number;
        let shown: string;
        if (rest[0] === 'confusion') {
          const [, t, p] = rest;
          expected = m.confusion[m.perClass.findIndex((c) => c.label === t)]![m.perClass.findIndex((c) => c.label === p)]!;
          shown = String(expected);
        } else if (rest.length === 2) {
          const c = m.perClass.find((x) => x.label === rest[0])!;
          expected = c[rest[1] as 'precision' | 'recall' | 'f1' | 'support'];
          shown = rest[1] === 'support' ? count(expected) : pct(expected);
        } else {
          expected = rest[0] === 'macroF1' ? m.macroF1 : m.accuracy;
          shown = pct(expected);
        }
        expect(Number(value), name!).toBe(expected);
        expect(text!.trim(), name!).toBe(shown);
        seen.add(name!);
      }
      // all of them: P/R/F1 per label and precision, support, accuracy, macro F1, every confusion cell
      const labels = metrics['float32']!.perClass.map((c) => c.label);
      for (const p of ['float32', 'int8']) {
        for (const l of labels) for (const f of ['precision', 'recall', 'f1']) expect(seen.has(`classifier/${p}/${l}/${f}`), `${p} ${l} ${f}`).toBe(true);
        for (const t of labels) for (const q of labels) expect(seen.has(`classifier/${p}/confusion/${t}/${q}`)).toBe(true);
        expect(seen.has(`classifier/${p}/accuracy`) && seen.has(`classifier/${p}/macroF1`)).toBe(true);
      }
      const headline = await page.locator('[data-headline="classifier/float32/accuracy"]').textContent();
      expect(headline).toBe(pct(metrics['float32']!.accuracy));
      // the changed windows: as many as precision.json counts
      const precision = readJsonFile<{ changedTopLabel: number }>(path.join(evaluate, 'precision.json'));
      const rows = await page.locator('section#confusion table.changed tbody tr').count();
      expect(rows).toBe(Math.min(100, precision.changedTopLabel));
    });

    test('hovering a point of the feature explorer shows its sample file and window', async ({ skip }) => {
      skipWithoutTool(skip, `Chromium (${CHROMIUM}, Debian package chromium)`, () => existsSync(CHROMIUM));
      const point = page.locator('#explorer-classifier svg .role-mark > path[aria-label]').first();
      await point.scrollIntoViewIfNeeded();
      await point.hover({ force: true });
      const tip = page.locator('#tip');
      await expect.poll(() => tip.isVisible()).toBe(true);
      expect(await tip.textContent()).toMatch(/^(running|stationary|walking)\/\S+\.csv · window \d+ · label \w+ · predicted \w+$/);
    });

    test('a full-page screenshot is a tall, non-blank picture', async ({ skip }) => {
      skipWithoutTool(skip, `Chromium (${CHROMIUM}, Debian package chromium)`, () => existsSync(CHROMIUM));
      const shot = await page.screenshot({ fullPage: true, type: 'png' });
      const out = path.join(dir, 'report.png');
      writeFileSync(out, shot);
      console.log(`screenshot: ${out} (${(shot.length / 1024).toFixed(0)} KB)`);
      const png = PNG.sync.read(shot);
      expect(png.width).toBe(1280);
      expect(png.height).toBeGreaterThan(3000);
      expect(shot.length).toBeGreaterThan(150 * 1024);
      // not blank: many distinct colours (charts, tables, text)
      const colours = new Set<number>();
      for (let i = 0; i < png.data.length; i += 4 * 97) colours.add(png.data.readUInt32BE(i));
      expect(colours.size).toBeGreaterThan(50);
    });
  });
});
