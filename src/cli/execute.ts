import { resolve } from 'node:path';
import { loadConfig } from '../config/load.js';
import { parseOverride } from '../config/overrides.js';
import { DeliveryError, ExitCode, errorMessage, type ExitCodeValue } from '../core/errors.js';
import { createLogger, type Logger } from '../core/log.js';
import { SecretRegistry } from '../core/secrets.js';
import { ReportStore, type StageReport } from '../report/store.js';
import { writeSummary } from '../report/summary.js';
import { readActionInputs, writeActionOutputs } from '../settings/action-io.js';
import { readGitHubContext } from '../settings/github-context.js';
import { COMMANDS, STAGES, STAGE_ORDER, findStage, planStages } from '../stages/index.js';
import type { StageContext, StageDefinition } from '../stages/types.js';
import { VERSION } from '../version.js';
import { helpText, parseCliArgs, type CliArgs } from './args.js';
import { decisiveReport, runPipeline } from './pipeline.js';

export interface CliIO {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface CliResult {
  stage: string;
  status: 'success' | 'failure' | 'error';
  reason: string;
  message?: string;
  details: Record<string, unknown>;
}

/** Env names whose values are secrets wherever they appear. */
const SECRET_ENV = [
  'GITHUB_TOKEN',
  'REGISTRY_PASSWORD',
  'SLACK_WEBHOOK',
  'KUBECONFIG_DATA',
  'INPUT_KUBECONFIG',
  'INPUT_GITHUB-TOKEN',
];

/** Parses, loads, runs one stage (or all), records and prints the result; returns the exit code. */
export async function executeCli(io: CliIO): Promise<ExitCodeValue> {
  const secrets = new SecretRegistry();
  for (const name of SECRET_ENV) secrets.add(io.env[name]);
  let args: CliArgs | undefined;
  // Read from argv directly, so even an argument error is reported as JSON.
  const json = io.argv.includes('--json');
  const print = (result: CliResult) => {
    if (json) io.stdout.write(`${JSON.stringify(secrets.redactDeep(result))}\n`);
  };
  try {
    args = parseCliArgs(io.argv);
    if (args.command === 'help') {
      io.stdout.write(helpText([...STAGES, ...COMMANDS]));
      return ExitCode.success;
    }
    if (args.command === 'version') {
      io.stdout.write(`${VERSION}\n`);
      return ExitCode.success;
    }
    const github = readGitHubContext(io.env);
    const inputs = readActionInputs();
    const cwd = inputs.workingDirectory ? resolve(io.cwd, inputs.workingDirectory) : io.cwd;
    const log = createLogger({
      actions: github.actions,
      secrets,
      stream: args.json ? io.stderr : io.stdout,
      verbose: args.verbose,
    });
    if (args.stage === 'plan') {
      const stages = planStages(inputs.stages, github.eventName);
      log.info(`stages: ${stages.join(', ')}`);
      writeActionOutputs({ stages: stages.join(',') });
      print({ stage: 'plan', status: 'success', reason: 'ok', details: { stages } });
      return ExitCode.success;
    }
    const single = args.stage === 'run' ? undefined : findStage(args.stage as string);
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
      flags: {
        ...args.flags,
        to: args.flags.to ?? inputs.to,
        force: args.flags.force ?? (inputs.force || undefined),
        reason: args.flags.reason ?? inputs.reason,
      },
      log,
      secrets,
      reports: ReportStore.forRoot(loaded.root),
    };
    const reports = single
      ? [await runOneStage(single, ctx)]
      : await runPipeline({
          has: (name) => STAGES.some((s) => s.name === name),
          run: (name) => runOneStage(findStage(name), ctx),
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
    print(result);
    return exitCodeOf(last);
  } catch (e) {
    const code = e instanceof DeliveryError ? e.exitCode : ExitCode.checkFailed;
    const message = secrets.redact(errorMessage(e));
    io.stderr.write(`model-delivery: ${message}\n`);
    print({
      stage: args?.stage ?? 'cli',
      status: code === ExitCode.checkFailed ? 'failure' : 'error',
      reason: e instanceof DeliveryError ? e.reason : 'unexpected_error',
      message,
      details: e instanceof DeliveryError ? e.details : {},
    });
    return code;
  }
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
