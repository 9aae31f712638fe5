/** How a stage ended: `error` is an environment problem, `failure` a failed check. */
export type StageStatus = 'success' | 'failure' | 'error';

/** One stage's result as data; every rendering (summary, PR comment, Slack) is built from these. */
export interface StageReport {
  stage: string;
  status: StageStatus;
  reason: string;
  message?: string;
  details: Record<string, unknown>;
  outputs: Record<string, string>;
  summary?: string;
  startedAt: string;
  durationMs: number;
}
