import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CheckFailedError, ConfigError, DeliveryError, ExitCode } from '../core/errors.js';
import { formatDuration } from '../core/duration.js';
import { displayCommand, runCommand, toArgv } from '../core/run-command.js';
import { trainChecksTable } from '../report/train-table.js';
import { defaultBaselineRef, readBaseline } from '../train/baseline.js';
import { checkMetrics } from '../train/checks.js';
import { MetricsFileError, parseMetricsJson, type Metrics } from '../train/metrics-file.js';
import type { StageContext, StageDefinition, StageOutcome } from './types.js';

/** `{ max_steps: 10, fast: true }` → `--max_steps 10 --fast`. */
export function smokeArgs(smoke: Record<string, string | number | boolean>): string[] {
  return Object.entries(smoke).flatMap(([k, v]) =>
    v === false ? [] : v === true ? [`--${k}`] : [`--${k}`, String(v)],
  );
}

async function runTrain(ctx: StageContext): Promise<StageOutcome<'train'>> {
  const { config, log, root } = ctx;
  const train = config.train;
  if (!train.command)
    throw new ConfigError([
      'train.command: required to run the train stage (e.g. "python train.py")',
    ]);
  const argv = [...toArgv(train.command), ...smokeArgs(train.smoke)];
  const result = await log.group(`train: ${displayCommand(argv)}`, () =>
    runCommand({
      command: argv,
      label: 'train.command',
      cwd: root,
      timeoutMs: train.timeout,
      log,
      env: { ...(ctx.env as Record<string, string>), ...train.env, MODEL_DELIVERY_SMOKE: '1' },
    }),
  );
  if (result.exitCode !== 0) {
    throw new CheckFailedError(
      `train.command: \`${displayCommand(argv)}\` exited with code ${result.exitCode}\n${result.tail.slice(-10).join('\n')}`,
      'training_failed',
      { exitCode: result.exitCode },
    );
  }

  const metrics = readMetricsFile(root, train.metricsFile, displayCommand(argv));
  let baseline: Metrics | undefined;
  let baselineNote = 'no baseline configured';
  if (train.baseline.file) {
    const ref = defaultBaselineRef(train.baseline.ref, ctx.github.baseRef);
    const read = await readBaseline(root, { file: train.baseline.file, ref });
    if ('error' in read) {
      if (train.baseline.required)
        throw new CheckFailedError(`train.baseline: ${read.error}`, 'baseline_missing');
      log.warn(`train.baseline: ${read.error}; the regression check is skipped`);
      baselineNote = `baseline unavailable: ${read.error}`;
    } else {
      baseline = read.metrics;
      baselineNote = `baseline: ${read.from}`;
    }
  }

  const checks = checkMetrics({
    metrics,
    thresholds: train.thresholds,
    baseline,
    maxRegression: train.baseline.maxRegression,
  });
  const failed = checks.filter((c) => c.status === 'fail');
  for (const c of failed)
    for (const p of c.problems) log.error(p, { title: `Training check failed: ${c.metric}` });
  const thresholdFailed = failed.some((c) => c.problems.some((p) => !p.includes('regressed')));
  return {
    status: failed.length ? 'failure' : 'success',
    reason: failed.length ? (thresholdFailed ? 'threshold_failed' : 'regression') : 'ok',
    message: failed.length
      ? failed.flatMap((c) => c.problems).join('; ')
      : `${Object.keys(metrics).length} metrics within thresholds (${formatDuration(result.durationMs)})`,
    details: {
      metrics,
      baseline,
      baselineNote,
      checks,
      failed: failed.map((c) => c.metric),
      durationMs: result.durationMs,
    },
    outputs: { metrics: JSON.stringify(metrics) },
    summary: trainChecksTable(checks, baselineNote),
  };
}

function readMetricsFile(root: string, file: string, command: string): Metrics {
  const path = resolve(root, file);
  if (!existsSync(path)) {
    throw new CheckFailedError(
      `train.metricsFile: ${file} was not written by \`${command}\` (looked for ${path}); make the training write it or fix train.metricsFile`,
      'metrics_file_missing',
    );
  }
  try {
    return parseMetricsJson(readFileSync(path, 'utf8'));
  } catch (e) {
    if (e instanceof MetricsFileError)
      // A bad input file, as the README's exit codes put it (2), not a failed check.
      throw new DeliveryError(
        `train.metricsFile ${file}: ${e.message}; make the training write a JSON object of numbers`,
        'metrics_file_invalid',
        ExitCode.usage,
      );
    throw e;
  }
}

export const trainStage: StageDefinition<'train'> = {
  name: 'train',
  description: 'run the smoke training; check its metrics against thresholds and the baseline',
  run: runTrain,
};
