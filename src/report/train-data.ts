import { z } from 'zod';
import type { TrainCheckRow } from './stage-details.js';
import type { StageReport } from './stage-report.js';

export type { TrainCheckRow } from './stage-details.js';

const num = z.number().optional().catch(undefined);
const row = z.looseObject({
  metric: z.string(),
  value: num,
  threshold: z.string().optional().catch(undefined),
  baseline: num,
  delta: num,
  status: z.string().catch('unknown'),
  problems: z.array(z.string()).catch([]),
});
const details = z.looseObject({ checks: z.array(row.nullable().catch(null)).catch([]) });

/** The train report's check rows (empty when training did not get as far as checking). */
export function readTrainChecks(report: StageReport | undefined): TrainCheckRow[] {
  if (!report) return [];
  return details
    .parse(report.details ?? {})
    .checks.filter((c): c is z.output<typeof row> => c !== null)
    .map(({ metric, value, threshold, baseline, delta, status, problems }) => ({
      metric,
      value,
      threshold,
      baseline,
      delta,
      status,
      problems,
    }));
}
