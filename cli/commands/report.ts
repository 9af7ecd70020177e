/**
 * `impulse report [impulse] [--open] [--compare <ref>] [--json]`: runs what the report stage needs
 * (everything but the deployables; cached stages are not rerun) and writes its page to
 * build/report/index.html. With --compare, the page gets a second column: the impulse as it was at
 * another commit, from that commit's impulse.lock and the cache entries it names.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pc from 'picocolors';
import { readJson } from '../../core/artifact/io.js';
import { runImpulse, stateDirOf } from '../../core/run/executor.js';
import { readLock } from '../../core/run/lock.js';
import { REPORT_HTML, REPORT_JSON } from '../../core/run/stages/report.js';
import { loadBaseline, readBaselineLock } from '../../core/report/compare/baseline.js';
import type { BaselineView } from '../../core/report/html/baseline.js';
import { renderReportPage } from '../../core/report/html/page.js';
import { isDeviceReport, type ReportData } from '../../core/report/report-data.js';
import { displayPath } from '../../core/spec/load.js';
import { loadForCli, printJson } from '../load.js';
import { chooseViewMode, RunView } from '../view/run-view.js';
import { openInBrowser } from './open-in-browser.js';

export interface ReportCliOptions {
  open?: boolean;
  compare?: string;
  json?: boolean;
  jobs?: number;
}

/** What the reader should know before opening the page: the sections that say "not here". */
function summaryLines(data: ReportData, baseline: BaselineView | undefined): string[] {
  const lines: string[] = [];
  const skipped = data.dataset?.skipped.length ?? 0;
  if (skipped > 0) lines.push(`${skipped} skipped file${skipped === 1 ? '' : 's'} named in the dataset section`);
  for (const l of data.learn) if (l.int8Absent) lines.push(`learn:${l.id}: no int8 model (${l.int8Absent.replace(/\.$/, '')})`);
  if (!isDeviceReport(data.device)) lines.push('no device profile (add `device:` to the impulse)');
  if (baseline && baseline.missing.length > 0) lines.push(`baseline ${baseline.ref}: ${baseline.missing.length} stage(s) not in the cache (${baseline.missing.join(', ')}): ${baseline.fillHint}`);
  return lines;
}

export async function reportCommand(target: string, opts: ReportCliOptions): Promise<void> {
  const impulse = await loadForCli(target);
  const shownPath = displayPath(impulse.file);
  // A wrong ref or a commit without a lock fails before anything runs.
  const baselineLock = opts.compare ? readBaselineLock({ ref: opts.compare, impulseFile: impulse.file }) : undefined;
  const view = opts.json ? undefined : new RunView(chooseViewMode(false));
  let summary;
  try {
    summary = await runImpulse(impulse, { ...(opts.jobs ? { jobs: opts.jobs } : {}), only: ['report'], ...(view ? { onEvent: view.handle } : {}) });
  } finally {
    view?.stop();
  }
  const stage = summary.results.get('report')!;
  const data = readJson<ReportData>(stage.dir, REPORT_JSON);
  const baseline = baselineLock ? loadBaseline(baselineLock, { stateDir: stateDirOf(impulse), currentLock: readLock(impulse.file), shownPath }) : undefined;
  const html = baseline ? await renderReportPage(data, baseline) : readFileSync(path.join(stage.dir, REPORT_HTML), 'utf8');
  const outDir = path.join(impulse.dir, 'build', 'report');
  const file = path.join(outDir, 'index.html');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(file, html);
  const bytes = Buffer.byteLength(html);
  const lines = summaryLines(data, baseline);
  const opened = opts.open ? await openInBrowser(file) : undefined;
  if (opts.json) {
    printJson({ file: displayPath(file), bytes, ...(baseline ? { compare: { ref: baseline.ref, commit: baseline.commit, missing: baseline.missing, fromReport: baseline.fromReport } } : {}), notes: lines, ...(opts.open ? { opened } : {}) });
    return;
  }
  process.stdout.write(`report: ${displayPath(file)} (${(bytes / 1024).toFixed(0)} KB)${baseline ? ` compared with ${baseline.ref} (${baseline.commit})` : ''}\n`);
  for (const l of lines) process.stdout.write(pc.dim(`  ${l}\n`));
  if (opts.open && !opened) process.stdout.write(`could not start a browser; open ${displayPath(file)} yourself (or set BROWSER)\n`);
}
