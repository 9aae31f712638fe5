import { STATUS_EMOJI, formatNumber, markdownTable } from './markdown.js';
import type { TrainCheckRow } from './train-data.js';

/**
 * The smoke training's table (metric, value, threshold, baseline, delta, status) and the
 * note on where the baseline came from: the job summary and the PR comment both show it.
 */
export function trainChecksTable(checks: readonly TrainCheckRow[], baselineNote?: string): string {
  const rows = checks.map((c) => [
    c.metric,
    formatNumber(c.value),
    c.threshold ?? '',
    formatNumber(c.baseline),
    c.delta === undefined ? '' : `${c.delta >= 0 ? '+' : ''}${formatNumber(c.delta)}`,
    `${STATUS_EMOJI[c.status] ?? ''} ${c.status}${c.problems.length ? `: ${c.problems.join('; ')}` : ''}`,
  ]);
  const table = markdownTable(
    ['metric', 'value', 'threshold', 'baseline', 'delta', 'status'],
    rows,
  );
  return baselineNote ? `${table}\n\n_${baselineNote}_` : table;
}
