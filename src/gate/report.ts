import type { JudgeDecision, MetricResult } from '../analysis/types.js';
import { certifiedParts } from '../report/gate-data.js';
import { STATUS_EMOJI, formatNumber, markdownTable } from '../report/markdown.js';

const signed = (x: number) =>
  Number.isFinite(x)
    ? `${x >= 0 ? '+' : ''}${formatNumber(Math.round(x * 1000) / 10)}%`
    : x > 0
      ? '+∞'
      : '−∞';

export function formatEffect(m: MetricResult): string {
  const e = m.effect;
  if (!e) return '—';
  const estimate = Number.isNaN(e.estimate) ? '—' : signed(e.estimate);
  return `${estimate} [${signed(e.lower)}, ${signed(e.upper)}]`;
}

function statusCell(m: MetricResult): string {
  return `${STATUS_EMOJI[m.status] ?? ''} ${m.status}${m.reason ? ` (${m.reason})` : ''}`.trim();
}

/** What each metric's verdict certifies, each claim at its confidence, and what it does not. */
export function certificates(metrics: MetricResult[]): string {
  return metrics.map((m) => `- **${m.name}**: ${certifiedParts(m).join('. ')}.`).join('\n');
}

/** The job-summary section: one row per metric, then the decision and its reason. */
export function gateSummary(
  decision: JudgeDecision,
  extra: { looks: number; source: string; next: string; steps?: number[]; step?: number },
): string {
  const rows = decision.metrics.map((m) => [
    `${m.name}${m.critical ? ' (critical)' : ''}`,
    formatNumber(m.canary),
    formatNumber(m.baseline),
    formatEffect(m),
    m.confidence === undefined ? '—' : `${formatNumber(Math.round(m.confidence * 10000) / 100)}%`,
    `${m.samples.canary} / ${m.samples.baseline}`,
    statusCell(m),
  ]);
  const table = markdownTable(
    ['metric', 'canary', 'baseline', 'effect [interval]', 'confidence', 'samples c / b', 'status'],
    rows,
  );
  const at = extra.step === undefined ? '' : ` at step **${extra.step}%**`;
  const verdict = `${STATUS_EMOJI[decision.verdict] ?? ''} **${decision.verdict}** (\`${decision.reason}\`)${at} after ${extra.looks} look(s) from ${extra.source}: ${decision.message}. Next: ${extra.next}.${stepsLine(extra.steps)}`;
  return `${table}\n\n${verdict}\n\n${certificates(decision.metrics)}`;
}

/** The ramp, said once: one judge across the steps, so every look counts at the verdict. */
function stepsLine(steps: number[] | undefined): string {
  if (!steps) return '';
  const ramp = steps.map((p) => `${formatNumber(p)}%`).join(' → ');
  return `\n\nSteps ${ramp} (canary and baseline each): the evidence of every step counts toward the verdict.`;
}
