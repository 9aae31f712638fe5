import type { ExitCodeValue } from '../core/exit-codes.js';
import type { ReportingStage, StageDetailsMap } from './stage-details.js';

export type { ReportingStage, StageDetailsMap } from './stage-details.js';

/** How a stage ended: `error` is an environment problem, `failure` a failed check. */
export type StageStatus = 'success' | 'failure' | 'error';

interface ReportBase {
  status: StageStatus;
  reason: string;
  message?: string;
  outputs: Record<string, string>;
  summary?: string;
  startedAt: string;
  durationMs: number;
  /** The process's exit code for this stage (0 success, 1 failed check, 2 usage, 3 environment). */
  exitCode: ExitCodeValue;
}

/**
 * One stage's result as data; every rendering (summary, PR comment, Slack) is built from
 * these. Keyed by stage: a stage that returned has its own details type; one that threw
 * (`threw: true`) carries the error's details instead.
 */
type AnyStageReport = {
  [K in ReportingStage]: ReportBase &
    (
      | { stage: K; threw?: false; details: StageDetailsMap[K] }
      | { stage: K; threw: true; details: Record<string, unknown> }
    );
}[ReportingStage];

export type StageReport<S extends ReportingStage = ReportingStage> = Extract<
  AnyStageReport,
  { stage: S }
>;

/** The details a stage returned, or undefined when there is no report or the stage threw. */
export function detailsOf<S extends ReportingStage>(
  report: StageReport<S> | undefined,
): StageDetailsMap[S] | undefined {
  if (!report || report.threw) return undefined;
  return report.details as StageDetailsMap[S];
}

/** The report of `stage` among `reports`, typed by its stage. */
export function findReport<S extends ReportingStage>(
  reports: readonly StageReport[],
  stage: S,
): StageReport<S> | undefined {
  return reports.find((r): r is StageReport<S> => r.stage === stage);
}
