import type { DeliveryView } from './delivery.js';
import { STATUS_EMOJI } from './markdown.js';
import { detailsOf } from './stage-report.js';
import { gateMermaidCharts } from './mermaid-chart.js';
import { gateMetricsTable, truncateMarkdown } from './summary.js';
import { readTrainChecks } from './train-data.js';
import { trainChecksTable } from './train-table.js';

/** Hidden marker that identifies model-delivery's sticky comment on a pull request. */
export const PR_COMMENT_MARKER = '<!-- model-delivery:pr-report -->';

/** GitHub rejects comment bodies over 65,536 characters; keep a margin (bytes ≥ characters). */
export const PR_COMMENT_LIMIT_BYTES = 60_000;

function trainPart(view: DeliveryView): string {
  const train = view.train;
  if (!train) return '_The smoke training did not run in this job._';
  const checks = readTrainChecks(train);
  const head = `### ${STATUS_EMOJI[train.status] ?? ''} Smoke training — ${train.status} (\`${train.reason}\`)`;
  if (!checks.length) return `${head}\n\n${train.message ?? ''}`;
  return `${head}\n\n${trainChecksTable(checks, detailsOf(train)?.baselineNote)}`;
}

function gatePart(view: DeliveryView): string {
  const gate = view.gate;
  if (!gate) return '';
  const report = view.stages.find((s) => s.stage === 'gate');
  const head = `### ${STATUS_EMOJI[report?.status ?? ''] ?? ''} Gate — ${gate.verdict ?? report?.status ?? ''} (\`${report?.reason ?? ''}\`)`;
  const table = gateMetricsTable(gate);
  const charts = gateMermaidCharts(gate);
  return [
    head,
    table,
    charts && `<details open><summary>Charts</summary>\n\n${charts}\n\n</details>`,
  ]
    .filter(Boolean)
    .join('\n\n');
}

/** The sticky pull request comment: the smoke-training report, and the gate when one ran. */
export function renderPrComment(view: DeliveryView): string {
  const sha = view.links.commit?.split('/').at(-1)?.slice(0, 7);
  const footer = [
    sha && view.links.commit ? `commit [\`${sha}\`](${view.links.commit})` : undefined,
    view.links.run ? `[job summary](${view.links.run})` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
  const body = [
    PR_COMMENT_MARKER,
    `## model-delivery — ${view.verdict}`,
    trainPart(view),
    gatePart(view),
    footer
      ? `<sub>Updated for ${footer}. This comment is updated in place on every push.</sub>`
      : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  return truncateMarkdown(`${body}\n`, PR_COMMENT_LIMIT_BYTES);
}
