import { fitMessage } from '../report/slack-limits.js';
import type { SlackMessage } from './slack-client.js';

export interface IncidentNotice {
  repository: string;
  environment: string;
  alertNames: string[];
  summary: string | undefined;
  liveSha: string;
  targetSha: string | undefined;
  revert: { kind: 'pr' | 'issue'; url: string } | undefined;
  runUrl: string | undefined;
}

/** Slack mrkdwn: escape the three characters Slack reserves. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Pure: the Slack message of an incident (header ≤150 chars, sections ≤3000; a text fallback). */
export function incidentMessage(n: IncidentNotice): SlackMessage {
  const names = cut(n.alertNames.join(', ') || 'alert', 80);
  const title = cut(`Rollback: ${n.repository} ${n.environment} (${names})`, 150);
  const lines = [
    `*Live:* \`${n.liveSha.slice(0, 7)}\`${n.targetSha ? `  →  *rolling back to* \`${n.targetSha.slice(0, 7)}\`` : '  (no earlier release to roll back to)'}`,
    n.summary ? `*Alert:* ${escapeSlack(cut(n.summary, 500))}` : undefined,
    n.revert
      ? `*${n.revert.kind === 'pr' ? 'Revert pull request' : 'Issue'}:* <${n.revert.url}>`
      : undefined,
    n.runUrl ? `*Run:* <${n.runUrl}>` : undefined,
  ].filter((l): l is string => l !== undefined);
  // The same Block Kit limits module as the notify stage (src/report/slack-limits.ts).
  return fitMessage({
    text: `${title}. ${n.runUrl ?? ''}`.trim(),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title } },
      { type: 'section', text: { type: 'mrkdwn', text: cut(lines.join('\n'), 3000) } },
    ],
  });
}
