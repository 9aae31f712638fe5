import { loadConfig } from '../config/load.js';
import { parseOverride } from '../config/overrides.js';
import { DeliveryError, ExitCode, errorMessage, type ExitCodeValue } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { SecretRegistry } from '../core/secrets.js';
import type { GitHubContext } from '../core/run-context.js';
import type { ReportingStage } from '../report/stage-report.js';
import { ReportStore, type StageReport } from '../report/store.js';
import { writeSummary } from '../report/write-reports.js';
import { stageFlags, writeActionOutputs, type ActionInputs } from '../settings/action-io.js';
import { readStageInputs } from '../settings/stage-inputs.js';
import { STAGE_ORDER, findStage, isStageName } from '../stages/index.js';
import type { StageContext, StageDefinition, StageOutcome } from '../stages/types.js';
import type { CliArgs } from './args.js';
import { decisiveReport, runPipeline } from './pipeline.js';
import type { CliIO, CliResult, StageResult } from './types.js';

/** Loads the config, runs one stage (or `run`, the pipeline), and says what to print and exit with. */
export async function runStages(options: {
  io: CliIO;
  args: CliArgs;
  cwd: string;
  github: GitHubContext;
  inputs: ActionInputs;
  log: Logger;
  secrets: SecretRegistry;
}): Promise<{ result: CliResult; exitCode: ExitCodeValue }> {
  const { io, args, cwd, github, inputs, log, secrets } = options;
  const single = args.stage === 'run' ? undefined : await findStage(args.stage as string);
  const loaded = loadConfig({
    cwd,
    path: args.config ?? inputs.config,
    root: args.root,
    overrides: [...inputs.set, ...args.set].map(parseOverride),
    env: io.env,
  });
  loaded.secrets.forEach((s) => secrets.add(s));
  const ctx: StageContext = {
    config: loaded.config,
    root: loaded.root,
    configPath: loaded.path,
    github,
    env: io.env,
    inputs: readStageInputs(io.env),
    flags: stageFlags(args.flags, inputs),
    log,
    secrets,
    reports: ReportStore.forRoot(loaded.root),
  };
  const reports = single
    ? [await runOneStage(single, ctx)]
    : await runPipeline({
        has: isStageName,
        run: async (name) => runOneStage(await findStage(name), ctx),
      });
  const last = decisiveReport(reports) as StageReport;
  const result: CliResult = single
    ? stageResult(last)
    : {
        stage: 'run',
        status: last.status,
        reason: last.reason,
        message: last.message,
        details: {
          stages: reports.map(({ stage, status, reason, message }) => ({
            stage,
            status,
            reason,
            message,
          })),
        },
      };
  return { result, exitCode: last.exitCode };
}

function stageResult(report: StageReport): StageResult {
  const { stage, status, reason, message, details, threw, exitCode } = report;
  return { stage, status, reason, message, details, threw, exitCode } as StageResult;
}

/** A returned outcome's exit code: its own when it names one, else by its status. */
function outcomeExitCode(outcome: { status: 'success' | 'failure'; exitCode?: ExitCodeValue }) {
  if (outcome.status === 'success') return ExitCode.success;
  return outcome.exitCode ?? ExitCode.checkFailed;
}

/** Runs a stage, turning thrown errors into a report; persists the report, summary and outputs. */
async function runOneStage<S extends ReportingStage>(
  stage: StageDefinition<S>,
  ctx: StageContext,
): Promise<StageReport> {
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  let report: StageReport;
  try {
    const outcome = await stage.run(ctx);
    report = returnedReport(stage.name, outcome, startedAt, Date.now() - started);
    // Failed checks were annotated where they were found; this line is the stage's verdict.
    ctx.log.info(
      `${outcome.status === 'success' ? '✅' : '❌'} ${stage.name}: ${outcome.message ?? outcome.reason}`,
    );
  } catch (e) {
    report = failedReport(stage.name, startedAt, e, Date.now() - started, ctx.log);
  }
  report = ctx.secrets.redactDeep(report);
  ctx.reports.save(report);
  await writeSummary({
    actions: ctx.github.actions,
    summaryFile: ctx.github.summaryFile,
    report,
    store: ctx.reports,
    order: STAGE_ORDER,
  });
  if (ctx.github.actions) writeActionOutputs(report.outputs);
  return report;
}

function returnedReport<S extends ReportingStage>(
  stage: S,
  outcome: StageOutcome<S>,
  startedAt: string,
  durationMs: number,
): StageReport<S> {
  const { outputs, ...rest } = outcome;
  // TypeScript cannot follow `S` into the mapped union; the fields are the outcome's, keyed by its stage.
  return {
    ...rest,
    stage,
    startedAt,
    outputs: outputs ?? {},
    durationMs,
    exitCode: outcomeExitCode(outcome),
  } as unknown as StageReport<S>;
}

function failedReport(
  stage: ReportingStage,
  startedAt: string,
  e: unknown,
  durationMs: number,
  log: Logger,
): StageReport {
  const known = e instanceof DeliveryError;
  const message = errorMessage(e);
  log.error(`${stage}: ${message}`, { title: `model-delivery ${stage}` });
  if (!known && e instanceof Error && e.stack) log.debug(e.stack);
  const exitCode = known ? e.exitCode : ExitCode.checkFailed;
  return {
    stage,
    startedAt,
    threw: true,
    status: exitCode === ExitCode.checkFailed ? 'failure' : 'error',
    reason: known ? e.reason : 'unexpected_error',
    message,
    details: known ? e.details : {},
    outputs: {},
    durationMs,
    exitCode,
  };
}
