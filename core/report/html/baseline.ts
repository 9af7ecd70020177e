/** What `impulse report --compare <ref>` puts beside this impulse: another commit's report data. */
import type { ReportData } from '../report-data.js';

export interface StageChange {
  readonly stage: string;
  readonly change: 'added' | 'removed' | 'changed' | 'unchanged';
  /** Why its key differs (as `impulse explain` says it), when both manifests are in the cache. */
  readonly reasons: readonly string[];
}

export interface BaselineView {
  /** The ref as given (a branch, tag or commit) and the commit it named. */
  readonly ref: string;
  readonly commit: string;
  readonly data: ReportData;
  /** True when the data is that commit's stored report (with per-window sections), false when read from its stage outputs. */
  readonly fromReport: boolean;
  /** Stages of that commit's lock whose cache entries are not here. */
  readonly missing: readonly string[];
  /** How to fill them. */
  readonly fillHint: string;
  readonly changes: readonly StageChange[];
}
