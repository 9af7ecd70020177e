/** One section of the page: drawn once per column (this impulse, and a baseline with --compare). */
import type { ReportData } from '../report-data.js';

export interface Column {
  readonly role: 'current' | 'baseline';
  /** Column heading: "this impulse" or the baseline's ref and commit. */
  readonly title: string;
  /** For a baseline: how to get what its cache lacks. */
  readonly fillHint?: string;
}

export interface Section {
  readonly id: string;
  readonly title: string;
  /** One line under the title: what the section shows and on which data. */
  readonly lede: string;
  render(data: ReportData, column: Column): Promise<string>;
}

/** The attribute that marks a number the tests read back (`data-metric` in this impulse's column only). */
export function metricAttr(column: Column, name: string, value: number): string {
  return ` ${column.role === 'current' ? 'data-metric' : 'data-baseline-metric'}="${name}" data-value="${value}"`;
}

/** The learn block's sub-heading. */
export function learnHeading(id: string, type: string): string {
  return `<h3>learn:${id} <span class="lede">(${type})</span></h3>`;
}
