// .model-delivery/demo/summary.md: the run's story as a page, from what the demo recorded.
import type { Narrator } from './narrator.js';
import type { Story } from './story.js';
import type { DemoTarget } from './target.js';

export interface SummaryInput {
  story: Story;
  narrator: Narrator;
  seconds: number;
  usePrometheus: boolean;
  failure: unknown;
  slackPosts: number;
  outDir: string;
  stateDir: string;
  target: DemoTarget;
}

export function summaryMarkdown(i: SummaryInput): string {
  const { story } = i;
  const lines = [
    '# model-delivery demo',
    '',
    i.failure === undefined
      ? `Finished in ${i.seconds.toFixed(1)} s.`
      : `Stopped after ${i.seconds.toFixed(1)} s: ${i.failure instanceof Error ? i.failure.message.split('\n')[0] : String(i.failure)}`,
    '',
    `- Deploy target: ${i.target.headline}.`,
    ...i.target.realParts().map((line) => `- ${line.replace(/^\s*·\s*/, '')}.`),
    `- Metrics: ${i.usePrometheus ? 'a real Prometheus (gate.source=prometheus)' : "the scrape source (each track's /metrics)"}.`,
    `- Alerts: ${i.usePrometheus ? 'through a real Alertmanager to the bot' : "posted to the bot in Alertmanager's webhook format"}.`,
    '- GitHub: a local stand-in for github.com (the GitHub fake in test/fakes/github), not GitHub.',
    `- Slack: ${i.slackPosts} payloads captured by a local receiver, in \`slack/\`.`,
    '',
    '## Releases',
    '',
    '| version | verdict | action | seconds to verdict |',
    '| --- | --- | --- | --- |',
    ...story.releases.map(
      (r) =>
        `| ${r.version} | ${r.verdict} | ${r.action} | ${r.secondsToVerdict ?? '– (no gate)'} |`,
    ),
    '',
    '## Incident',
    '',
    `- Revert pull request: ${story.incident.revertPullRequest === null ? '–' : `#${story.incident.revertPullRequest}`}`,
    `- Workflow dispatched: ${story.incident.dispatched ?? '–'}`,
    `- Seconds from the alert to both actions: ${story.incident.secondsToActions ?? '–'}`,
    '',
    '## Steps',
    '',
    '| chapter | step | seconds | result |',
    '| --- | --- | --- | --- |',
    ...i.narrator.steps.map(
      (s) =>
        `| ${s.chapter.replace(/\|/g, '\\|')} | ${s.title} | ${s.seconds.toFixed(1)} | ${s.ok ? '✅' : '❌'} ${s.note.replace(/\|/g, '\\|')} |`,
    ),
    '',
    '## Transcript',
    '',
    '```text',
    ...i.narrator.transcript,
    '```',
    '',
  ];
  return lines.join('\n');
}
