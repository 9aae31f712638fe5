// The report writers: the I/O half of report/, kept apart so the renderers stay functions
// of data (test/unit/architecture/rules.test.ts holds them to it).
import { appendFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { EOL } from 'node:os';
import { join } from 'node:path';
import type { GitHubContext } from '../core/run-context.js';
import { buildDeliveryView, type DeliveryView } from './delivery.js';
import { renderHtmlReport } from './html-report.js';
import type { StageReport } from './stage-report.js';
import type { ReportStore } from './store.js';
import { SUMMARY_LIMIT_BYTES, renderSummary, stageSection, truncateMarkdown } from './summary.js';

function currentSize(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

/**
 * In Actions the stage's section is appended to the step summary file (GITHUB_STEP_SUMMARY,
 * read into the GitHub context; one summary per step), within what is left of the step's
 * 1 MiB. Locally `.model-delivery/summary.md` and `.model-delivery/report.html` are rebuilt
 * from all persisted reports, in pipeline order.
 */
export async function writeSummary(options: {
  actions: boolean;
  /** The step summary file, from the GitHub context. */
  summaryFile?: string;
  report: StageReport;
  store: ReportStore;
  order: readonly string[];
}): Promise<string | undefined> {
  const stepFile = options.summaryFile;
  if (options.actions && stepFile) {
    const budget = Math.max(1024, SUMMARY_LIMIT_BYTES - currentSize(stepFile));
    // What @actions/core's summary.addRaw(text, true).write() appends, without the toolkit.
    appendFileSync(stepFile, `${truncateMarkdown(stageSection(options.report), budget)}${EOL}`);
    return stepFile;
  }
  const reports = options.store.all();
  const file = join(options.store.dir, 'summary.md');
  mkdirSync(options.store.dir, { recursive: true });
  writeFileSync(file, renderSummary(reports, options.order));
  // After notify, keep the report it wrote (it knows the environment and the PR link).
  if (options.report.stage !== 'notify')
    writeHtmlReport({ store: options.store, reports, order: options.order });
  return file;
}

/** Writes `.model-delivery/report.html` from the persisted reports (or a view built from them). */
export function writeHtmlReport(options: {
  store: ReportStore;
  order: readonly string[];
  reports?: StageReport[];
  github?: GitHubContext;
  view?: DeliveryView;
}): string {
  const view =
    options.view ??
    buildDeliveryView({
      reports: options.reports ?? options.store.all(),
      github: options.github ?? {
        actions: false,
        serverUrl: 'https://github.com',
        apiUrl: 'https://api.github.com',
      },
      order: options.order,
    });
  const file = join(options.store.dir, 'report.html');
  mkdirSync(options.store.dir, { recursive: true });
  writeFileSync(file, renderHtmlReport(view));
  return file;
}
