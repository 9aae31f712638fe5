import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as core from '@actions/core';
import { formatDuration } from '../core/duration.js';
import { STATUS_EMOJI } from './markdown.js';
import type { ReportStore, StageReport } from './store.js';

/** GitHub rejects a step summary over 1 MiB; stay well below it. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024 - 16 * 1024;

export function stageSection(report: StageReport): string {
  const head = `## ${STATUS_EMOJI[report.status] ?? ''} ${report.stage} — ${report.status} (\`${report.reason}\`, ${formatDuration(report.durationMs)})`;
  const body = report.summary ?? report.message ?? '';
  return truncateMarkdown(`${head}\n\n${body}\n`, SUMMARY_LIMIT_BYTES);
}

export function truncateMarkdown(text: string, limitBytes: number): string {
  const bytes = Buffer.byteLength(text);
  if (bytes <= limitBytes) return text;
  const note = `\n\n> ✂️ Truncated: this section was ${bytes} bytes; GitHub accepts at most 1 MiB per step. The full report is in .model-delivery/reports/.\n`;
  const keep = Buffer.from(text).subarray(0, limitBytes - Buffer.byteLength(note)).toString('utf8').replace(/\uFFFD$/, '');
  return keep + note;
}

/**
 * In Actions the stage's section is appended to GITHUB_STEP_SUMMARY (one summary per step).
 * Locally `.model-delivery/summary.md` is rebuilt from all persisted reports, in pipeline order.
 */
export async function writeSummary(options: {
  actions: boolean;
  report: StageReport;
  store: ReportStore;
  order: readonly string[];
}): Promise<string | undefined> {
  const section = stageSection(options.report);
  if (options.actions && process.env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(section, true).write();
    return process.env.GITHUB_STEP_SUMMARY;
  }
  const rank = (s: string) => {
    const i = options.order.indexOf(s);
    return i < 0 ? options.order.length : i;
  };
  const reports = options.store.all().sort((a, b) => rank(a.stage) - rank(b.stage));
  const file = join(options.store.dir, 'summary.md');
  mkdirSync(options.store.dir, { recursive: true });
  writeFileSync(file, `# model-delivery\n\n${reports.map(stageSection).join('\n')}`);
  return file;
}
