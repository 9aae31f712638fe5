import { loadConfig } from '../config/load.js';
import { parseOverride } from '../config/overrides.js';
import { DeliveryError, ExitCode, errorMessage, type ExitCodeValue } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { SecretRegistry } from '../core/secrets.js';
import type { GitHubContext } from '../core/run-context.js';
import { ReportStore, type StageReport } from '../report/store.js';
import { writeSummary } from '../report/write-reports.js';
import { stageFlags, writeActionOutputs, type ActionInputs } from '../settings/action-io.js';
import { readStageInputs } from '../settings/stage-inputs.js';
import { STAGE_ORDER, findStage, isStageName } from '../stages/index.js';
import type { StageContext, StageDefinition } from '../stages/types.js';
import type { CliArgs } from './args.js';
import { decisiveReport, runPipeline } from './pipeline.js';
import type { CliIO, CliResult } from './types.js';

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
    ? {
        stage: last.stage,
        status: last.status,
        reason: last.reason,
        message: last.message,
        details: last.details,
      }
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
  return { result, exitCode: exitCodeOf(last) };
}

function exitCodeOf(report: StageReport): ExitCodeValue {
  if (report.status === 'success') return ExitCode.success;
  return ((report.details.exitCode as ExitCodeValue | undefined) ??
    (report.status === 'failure' ? ExitCode.checkFailed : ExitCode.environment)) as ExitCodeValue;
}

/** Runs a stage, turning thrown errors into a report; persists the report, summary and outputs. */
async function runOneStage(stage: StageDefinition, ctx: StageContext): Promise<StageReport> {
  const started = Date.now();
  const base = { stage: stage.name, startedAt: new Date(started).toISOString() };
  let report: StageReport;
  try {
    const outcome = await stage.run(ctx);
    report = {
      ...base,
      ...outcome,
      outputs: outcome.outputs ?? {},
      durationMs: Date.now() - started,
    };
    // Failed checks were annotated where they were found; this line is the stage's verdict.
    ctx.log.info(
      `${outcome.status === 'success' ? '✅' : '❌'} ${stage.name}: ${outcome.message ?? outcome.reason}`,
    );
  } catch (e) {
    report = failedReport(base, e, Date.now() - started, ctx.log);
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

function failedReport(
  base: { stage: string; startedAt: string },
  e: unknown,
  durationMs: number,
  log: Logger,
): StageReport {
  const known = e instanceof DeliveryError;
  const message = errorMessage(e);
  log.error(`${base.stage}: ${message}`, { title: `model-delivery ${base.stage}` });
  if (!known && e instanceof Error && e.stack) log.debug(e.stack);
  const exitCode = known ? e.exitCode : ExitCode.checkFailed;
  return {
    ...base,
    status: exitCode === ExitCode.checkFailed ? 'failure' : 'error',
    reason: known ? e.reason : 'unexpected_error',
    message,
    details: { ...(known ? e.details : {}), exitCode },
    outputs: {},
    durationMs,
  };
}
