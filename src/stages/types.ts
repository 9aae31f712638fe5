import type { Config } from '../config/schema.js';
import type { Logger } from '../core/log.js';
import type { SecretRegistry } from '../core/secrets.js';
import type { ExitCodeValue } from '../core/exit-codes.js';
import type { ReportingStage, StageDetailsMap } from '../report/stage-report.js';
import type { ReportStore } from '../report/store.js';
import type { ActionOutputs } from '../settings/action-io.js';
import type { GitHubContext } from '../settings/github-context.js';
import type { StageInputs } from '../settings/stage-inputs.js';

/** Flags a stage may take from the command line (`--version v2`, `--to <ref>`, `--force`, `--reason`). */
export interface StageFlags {
  version?: string;
  to?: string;
  /** deploy: the image to ship (`--image`, input `image`); wins over the build stage's output. */
  image?: string;
  /** deploy: break a stale lock; promote (with `reason`): promote without a passing gate. */
  force?: boolean;
  /** Why a human overrides the gate (`promote --force --reason "..."`); recorded in the reports and the ledger. */
  reason?: string;
}

/** Everything a stage receives; stages read nothing else from the process. */
export interface StageContext {
  config: Config;
  root: string;
  configPath: string;
  github: GitHubContext;
  env: Record<string, string | undefined>;
  /** Inputs and credentials read once from the environment; stages read no env by name. */
  inputs: StageInputs;
  flags: StageFlags;
  log: Logger;
  secrets: SecretRegistry;
  reports: ReportStore;
}

export type { StageStatus } from '../report/stage-report.js';

/** What a stage hands back; failures of checks are returned, not thrown, so they still get a summary. */
export interface StageOutcome<S extends ReportingStage> {
  status: 'success' | 'failure';
  reason: string;
  details: StageDetailsMap[S];
  /** Exit code of a failure when it is not 1 (a failed check): the gate's unreachable source is 3. */
  exitCode?: ExitCodeValue;
  outputs?: ActionOutputs;
  /** This stage's section of the job summary (markdown). */
  summary?: string;
  /** One line for the log and the JSON result. */
  message?: string;
}

export interface StageDefinition<S extends ReportingStage> {
  name: S;
  description: string;
  run(ctx: StageContext): Promise<StageOutcome<S>>;
}

/** Any stage's definition, each with the details type of its own name. */
export type AnyStageDefinition = { [S in ReportingStage]: StageDefinition<S> }[ReportingStage];
