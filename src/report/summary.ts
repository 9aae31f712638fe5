import { formatDuration } from '../core/duration.js';
import { currentReports } from './delivery.js';
import { readGateData, type GateData } from './gate-data.js';
import { STATUS_EMOJI, formatNumber, markdownTable } from './markdown.js';
import { gateMermaidCharts } from './mermaid-chart.js';
import { formatBounds } from './slack-message.js';
import type { StageReport } from './stage-report.js';

/** GitHub rejects a step summary over 1 MiB (1,048,576 bytes); stay 16 KiB below it. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024 - 16 * 1024;

/** The gate's per-metric table (the job summary of a gate report without one, and the PR comment). */
export function gateMetricsTable(gate: GateData | undefined): string {
  if (!gate?.metrics.length) return '';
  return markdownTable(
    ['metric', 'status', 'canary', 'baseline', 'bounds', 'reason'],
    gate.metrics.map((m) => [
      m.name,
      `${STATUS_EMOJI[m.status] ?? ''} ${m.status}`,
      formatNumber(m.canary),
      formatNumber(m.baseline),
      formatBounds(m.bounds),
      m.reason ?? '',
    ]),
  );
}

/** The gate's charts, unless the gate's own summary already draws them. */
function gateCharts(report: StageReport): string {
  if (report.summary?.includes('xychart-beta')) return '';
  const gate = readGateData(report);
  return gate ? gateMermaidCharts(gate) : '';
}

/** A stage's section: heading with status, reason and duration; its summary; the gate's charts. */
export function stageSection(report: StageReport): string {
  const head = `## ${STATUS_EMOJI[report.status] ?? ''} ${report.stage} — ${report.status} (\`${report.reason}\`, ${formatDuration(report.durationMs)})`;
  const isGate = report.stage === 'gate';
  const body = report.summary ?? (isGate ? gateMetricsTable(readGateData(report)) : '') ?? '';
  const parts = [head, body || report.message || ''];
  if (body && report.message && report.status !== 'success')
    parts.splice(1, 0, `> ${report.message.replace(/\r?\n/g, ' ')}`);
  const charts = isGate ? gateCharts(report) : '';
  if (charts) parts.push(`### Canary against baseline, per look\n\n${charts}`);
  return truncateMarkdown(`${parts.filter(Boolean).join('\n\n')}\n`, SUMMARY_LIMIT_BYTES);
}

/** The whole summary of a run, in pipeline order, within the limit. */
export function renderSummary(reports: readonly StageReport[], order: readonly string[]): string {
  return truncateMarkdown(
    `# model-delivery\n\n${currentReports(reports, order).map(stageSection).join('\n')}`,
    SUMMARY_LIMIT_BYTES,
  );
}

/**
 * Cuts markdown to at most `limitBytes` (UTF-8), closing a code fence left open, and says
 * so in an explicit note.
 */
export function truncateMarkdown(text: string, limitBytes: number): string {
  const bytes = Buffer.byteLength(text);
  if (bytes <= limitBytes) return text;
  const note = `\n\n> ✂️ Truncated: this section was ${bytes} bytes; GitHub accepts at most 1 MiB per step. The full report is in .model-delivery/reports/.\n`;
  const fence = '\n```';
  const room = Math.max(0, limitBytes - Buffer.byteLength(note) - Buffer.byteLength(fence));
  let keep = Buffer.from(text).subarray(0, room).toString('utf8');
  // A cut inside a multi-byte character decodes to U+FFFD: drop it.
  keep = keep.replace(/\uFFFD+$/, '');
  const fences = keep.match(/^```/gm)?.length ?? 0;
  if (fences % 2 === 1) keep += fence;
  return keep + note;
}
