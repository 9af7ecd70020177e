/**
 * Vega-Lite → inline SVG at generation time (vega's headless View, no browser, no canvas): the page
 * needs no JavaScript to show a chart. Data is always inline, so nothing is ever loaded.
 */
import type { TopLevelSpec } from 'vega-lite';

/** The look every chart shares. */
export const CHART_FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

const CONFIG = {
  font: CHART_FONT,
  view: { stroke: '#ddd' },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal' as const, labelLimit: 160 },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal' as const, labelLimit: 200 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  title: { fontSize: 13, fontWeight: 'normal' as const, anchor: 'start' as const },
  range: { category: { scheme: 'tableau10' } },
};

let modules: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined;

/** vega and vega-lite, imported once and only when a report is drawn. */
function charting(): Promise<[typeof import('vega'), typeof import('vega-lite')]> {
  return (modules ??= Promise.all([import('vega'), import('vega-lite')]));
}

/**
 * Layout coordinates with 14 digits after the point (floating point noise) take a third of an
 * SVG's bytes; two digits are finer than a screen pixel. Numbers with fewer than five decimals
 * (labels, values in hover texts) are left as they are.
 */
function trimDecimals(svg: string): string {
  return svg.replace(/(\d+\.\d{2})\d{3,}/g, '$1');
}

/**
 * Attributes every mark repeats: the font (the page's CSS sets it for all chart text) and the
 * role description ("point", "bar"), which screen readers get from the role alone. A chart of
 * 2000 points is a third smaller without them.
 */
function dropRepeatedAttributes(svg: string): string {
  const font = ` font-family="${CONFIG.font.replace(/"/g, '&quot;')}"`;
  return svg.split(font).join('').replace(/ role="graphics-symbol" aria-roledescription="[^"]*"/g, ' role="graphics-symbol"');
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, vl] = await charting();
  const config = { ...CONFIG, ...(spec.config ?? {}) };
  // Warnings are about our specs (ours to fix, not the user's to read): only errors are printed.
  const compiled = vl.compile({ ...spec, config } as TopLevelSpec, { logger: vega.logger(vega.Error) }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    const svg = await view.toSVG();
    return dropRepeatedAttributes(trimDecimals(svg));
  } finally {
    view.finalize();
  }
}
