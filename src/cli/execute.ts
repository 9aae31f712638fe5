import { resolve } from 'node:path';
import { DeliveryError, ExitCode, errorMessage, type ExitCodeValue } from '../core/errors.js';
import { createLogger } from '../core/log.js';
import { SecretRegistry } from '../core/secrets.js';
import { readActionInputs, writeActionOutputs } from '../settings/action-io.js';
import { readGitHubContext } from '../settings/github-context.js';
import { secretEnvValues } from '../settings/secret-env.js';
import { allStages, planStages } from '../stages/index.js';
import { VERSION } from '../version.js';
import { helpText, parseCliArgs, type CliArgs } from './args.js';
import type { CliIO, CliResult } from './types.js';

export type { CliIO, CliResult } from './types.js';

/**
 * Parses, answers --help, --version and plan itself, and hands a stage (or `run`) to
 * run-stages.ts, loaded only then: the config schema, the reports and each stage's code
 * are not paid for by the commands that do not need them. Prints the result; returns the
 * exit code.
 */
export async function executeCli(io: CliIO): Promise<ExitCodeValue> {
  const secrets = new SecretRegistry();
  for (const value of secretEnvValues(io.env)) secrets.add(value);
  let args: CliArgs | undefined;
  // Read from argv directly, so even an argument error is reported as JSON.
  const json = io.argv.includes('--json');
  const print = (result: CliResult) => {
    if (json) io.stdout.write(`${JSON.stringify(secrets.redactDeep(result))}\n`);
  };
  try {
    args = parseCliArgs(io.argv);
    if (args.command === 'help') {
      io.stdout.write(helpText(await allStages()));
      return ExitCode.success;
    }
    if (args.command === 'version') {
      io.stdout.write(`${VERSION}\n`);
      return ExitCode.success;
    }
    const github = readGitHubContext(io.env);
    const inputs = readActionInputs();
    const log = createLogger({
      actions: github.actions,
      secrets,
      stream: args.json ? io.stderr : io.stdout,
      verbose: args.verbose,
    });
    if (args.stage === 'plan') {
      const stages = planStages(inputs.stages, {
        ...github,
        releaseBranches: inputs.releaseBranches,
      });
      log.info(`stages: ${stages.join(', ')}`);
      writeActionOutputs({ stages: stages.join(',') });
      print({ stage: 'plan', status: 'success', reason: 'ok', details: { stages } });
      return ExitCode.success;
    }
    const { runStages } = await import('./run-stages.js');
    const { result, exitCode } = await runStages({
      io,
      args,
      cwd: inputs.workingDirectory ? resolve(io.cwd, inputs.workingDirectory) : io.cwd,
      github,
      inputs,
      log,
      secrets,
    });
    print(result);
    return exitCode;
  } catch (e) {
    const code = e instanceof DeliveryError ? e.exitCode : ExitCode.checkFailed;
    const message = secrets.redact(errorMessage(e));
    io.stderr.write(`model-delivery: ${message}\n`);
    print({
      stage: args?.stage ?? 'cli',
      threw: true,
      status: code === ExitCode.checkFailed ? 'failure' : 'error',
      reason: e instanceof DeliveryError ? e.reason : 'unexpected_error',
      message,
      details: e instanceof DeliveryError ? e.details : {},
      exitCode: code,
    });
    return code;
  }
}
