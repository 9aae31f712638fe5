import type { ExitCodeValue } from '../core/exit-codes.js';
import type { ReportingStage, StageReport } from '../report/stage-report.js';

export interface CliIO {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

type ResultOf<R> = R extends StageReport
  ? Pick<R, 'stage' | 'status' | 'reason' | 'message' | 'details' | 'threw' | 'exitCode'>
  : never;

/** One stage's `--json` result: its report without the summary and timings, keyed by stage. */
export type StageResult<S extends ReportingStage = ReportingStage> = ResultOf<StageReport<S>>;

/** `run` (the stages it ran) or `plan` (the stages it would run). */
export interface CommandResult {
  stage: 'run' | 'plan';
  threw?: false;
  status: 'success' | 'failure' | 'error';
  reason: string;
  message?: string;
  details: Record<string, unknown>;
}

/** An error before any stage ran (arguments, config): `stage` is what was asked, or `cli`. */
export interface ErrorResult {
  stage: string;
  threw: true;
  status: 'failure' | 'error';
  reason: string;
  message: string;
  details: Record<string, unknown>;
  exitCode: ExitCodeValue;
}

/** What `--json` prints: one line, the last stage's result or the command's. */
export type CliResult = StageResult | CommandResult | ErrorResult;
