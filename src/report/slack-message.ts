import { formatDuration } from '../core/duration.js';
import type { DeliveryView } from './delivery.js';
import type { GateMetricRow } from './gate-data.js';
import { STATUS_EMOJI, formatNumber } from './markdown.js';
import type { StageReport } from './stage-report.js';
import {
  fitMessage,
  limitItems,
  moreNote,
  truncateText,
  type Block,
  type SlackMessage,
  type TextObject,
} from './slack-limits.js';

/** Escapes text for Slack mrkdwn (only &, < and > are special). */
export function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function link(url: string, label: string): string {
  return `<${url.replace(/[<>|]/g, encodeURIComponent)}|${slackEscape(label)}>`;
}

const mrkdwn = (text: string): TextObject => ({ type: 'mrkdwn', text });

/** Failing metrics first, so the metric that decided is never the one cut off. */
function byConcern(a: GateMetricRow, b: GateMetricRow): number {
  const rank = (m: GateMetricRow) => (m.status === 'fail' ? 0 : m.status === 'pass' ? 2 : 1);
  return rank(a) - rank(b);
}

export function formatBounds(bounds: Record<string, number | string>): string {
  return Object.entries(bounds)
    .map(([k, v]) => `${k} ${typeof v === 'number' ? formatNumber(v) : v}`)
    .join(', ');
}

/** One metric in words: "error_ratio ❌ fail (threshold_exceeded): canary 0.12, baseline 0.01; max 0.05". */
export function metricLine(m: GateMetricRow, emoji = true): string {
  const bounds = formatBounds(m.bounds);
  return (
    `${m.name} ${emoji ? `${STATUS_EMOJI[m.status] ?? ''} ` : ''}${m.status}${m.reason ? ` (${m.reason})` : ''}: ` +
    `canary ${formatNumber(m.canary)}, baseline ${formatNumber(m.baseline)}${bounds ? `; ${bounds}` : ''}`
  );
}

function metricField(m: GateMetricRow): TextObject {
  const bounds = formatBounds(m.bounds);
  const lines = [
    `${STATUS_EMOJI[m.status] ?? '•'} *${slackEscape(m.name)}* ${slackEscape(m.status)}${m.reason ? ` \`${slackEscape(m.reason)}\`` : ''}`,
    `canary *${formatNumber(m.canary)}* · baseline ${formatNumber(m.baseline)}`,
  ];
  if (bounds) lines.push(`bounds: ${slackEscape(bounds)}`);
  if (m.note) lines.push(`_${slackEscape(truncateText(m.note, 300))}_`);
  return mrkdwn(lines.join('\n'));
}

/** The header line: repository, environment, version, verdict. */
export function headerText(view: DeliveryView): string {
  const where = [view.repository ?? 'model-delivery', view.environment, view.version]
    .filter(Boolean)
    .join(' · ');
  return `${where} — ${view.verdict}`;
}

function fallbackText(view: DeliveryView): string {
  const failing = (view.gate?.metrics ?? [])
    .filter((m) => m.status === 'fail')
    .map((m) => metricLine(m));
  const why =
    view.deciding?.message && view.outcome !== 'success' ? `: ${view.deciding.message}` : '';
  return [
    `${headerText(view)}${failing.length ? '' : why}`,
    ...failing.map((l) => `failing: ${l}`),
  ].join('\n');
}

function linksLine(view: DeliveryView): string | undefined {
  const { run, commit, pullRequest, revertPullRequest } = view.links;
  const parts = [
    run && link(run, 'job summary'),
    commit && link(commit, `commit ${commit.split('/').at(-1)?.slice(0, 7) ?? ''}`),
    pullRequest && link(pullRequest, `pull request #${pullRequest.split('/').at(-1) ?? ''}`),
    revertPullRequest && link(revertPullRequest, 'revert pull request'),
  ].filter((p): p is string => Boolean(p));
  return parts.length ? parts.join(' · ') : undefined;
}

function stageBlock(s: StageReport): Block {
  const head = `${STATUS_EMOJI[s.status] ?? '•'} *${slackEscape(s.stage)}* — ${s.status} \`${slackEscape(s.reason)}\` (${formatDuration(s.durationMs)})`;
  const body = s.message ? `\n${slackEscape(truncateText(s.message, 1500))}` : '';
  return { type: 'section', text: mrkdwn(`${head}${body}`) };
}

/**
 * The notify stage's Slack message, from the delivery view: a header, the links, a
 * section per stage, the gate's metrics as fields. Always within Slack's limits.
 */
export function renderSlackMessage(view: DeliveryView): SlackMessage {
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: headerText(view), emoji: true } },
  ];
  const links = linksLine(view);
  if (links) blocks.push({ type: 'context', elements: [mrkdwn(links)] });
  for (const s of view.stages) blocks.push(stageBlock(s));
  const metrics = [...(view.gate?.metrics ?? [])].sort(byConcern);
  if (metrics.length) {
    blocks.push({ type: 'divider' });
    blocks.push({ type: 'section', text: mrkdwn(`*Gate metrics* (${metrics.length})`) });
    // A section takes 10 fields: one section per ten metrics, at most 3 sections.
    const groups: GateMetricRow[][] = [];
    for (let i = 0; i < metrics.length; i += 10) groups.push(metrics.slice(i, i + 10));
    const shown = limitItems(groups, 3, () => [] as GateMetricRow[]);
    shown.forEach((group, i) => {
      if (group.length) blocks.push({ type: 'section', fields: group.map(metricField) });
      else {
        const left = metrics.length - i * 10;
        blocks.push({
          type: 'context',
          elements: [mrkdwn(moreNote(left, left === 1 ? 'more metric' : 'more metrics'))],
        });
      }
    });
  }
  return fitMessage({ text: fallbackText(view), blocks });
}
