import { join, resolve } from 'node:path';
import { promDuration, type TemplateVars } from '../analysis/queries.js';
import type { JudgeDecision } from '../analysis/types.js';
import { CheckFailedError, ConfigError, ExitCode, errorMessage } from '../core/errors.js';
import { formatDuration } from '../core/duration.js';
import { judgeSettings } from '../gate/settings.js';
import { startLoad, type LoadRun, type LoadStats } from '../gate/load.js';
import { gateSummary } from '../gate/report.js';
import { runGate, type GateClock, type GateSteps, type LookRecord } from '../gate/run-gate.js';
import { createMetricProvider } from '../metrics/factory.js';
import { createDeployTarget } from '../targets/factory.js';
import { canaryIdentity } from '../targets/evidence.js';
import type { DeployTarget, TargetStatus, Track, TrackStatus } from '../targets/types.js';
import type { StageContext, StageDefinition, StageOutcome } from './types.js';

/** What comes after the gate: promote on pass; otherwise roll back or abort (gate.onInconclusive). */
export function nextStep(
  verdict: JudgeDecision['verdict'],
  onInconclusive: 'abort' | 'rollback',
): 'promote' | 'rollback' | 'abort' {
  if (verdict === 'pass') return 'promote';
  if (verdict === 'fail') return 'rollback';
  return onInconclusive;
}

function trackOf(status: TargetStatus, track: Track) {
  return status.tracks.find((t) => t.track === track);
}

export interface GateStageOptions {
  /** Tests pass a fake clock; the stage uses real time. */
  clock?: GateClock;
}

export async function runGateStage(
  ctx: StageContext,
  options: GateStageOptions = {},
): Promise<StageOutcome<'gate'>> {
  const { config, log } = ctx;
  const gate = config.gate;
  if (gate.metrics.length === 0)
    throw new ConfigError([
      'gate.metrics: declare at least one metric to compare (see docs/gate.md)',
    ]);
  const target = await createDeployTarget(ctx);
  let load: LoadRun | undefined;
  let loadStats: LoadStats | undefined;
  try {
    const status = await target.status();
    const canary = trackOf(status, 'canary');
    const baseline = trackOf(status, 'baseline');
    // Read only when the judge uses it (gate.stableMargin): more traffic on the baseline's rate.
    const stable = gate.stableMargin === undefined ? undefined : trackOf(status, 'stable');
    if (!canary || !baseline) {
      throw new CheckFailedError(
        'no canary and baseline are running: run the deploy stage first',
        'no_canary',
        { exitCode: ExitCode.checkFailed },
      );
    }
    const k8s = (config.deploy as { kubernetes?: { deployment?: string } }).kubernetes;
    const vars = (track: Track, version?: string): TemplateVars => ({
      track,
      namespace: gate.namespace,
      deployment: gate.deployment ?? k8s?.deployment ?? '',
      version: version ?? '',
      interval: promDuration(gate.interval),
    });
    // On Kubernetes the scrape source reads the pods through the pod proxy: refused is exit 3.
    const pods = gate.source === 'scrape' ? target.podMetrics : undefined;
    await pods?.check();
    const provider = createMetricProvider({
      gate,
      variable: ctx.inputs.variable,
      ...(pods ? { pods } : {}),
      addSecret: (v) => ctx.secrets.add(v),
      tracks: {
        canary: { urls: canary.metricsUrls ?? [], vars: vars('canary', canary.release?.version) },
        baseline: {
          urls: baseline.metricsUrls ?? [],
          vars: vars('baseline', baseline.release?.version),
        },
        ...(stable
          ? {
              stable: {
                urls: stable.metricsUrls ?? [],
                vars: vars('stable', stable.release?.version),
              },
            }
          : {}),
      },
    });
    if (gate.load) {
      if (!status.frontUrl)
        throw new CheckFailedError(
          'gate.load: the deploy target reports no front URL to send requests to',
          'no_front_url',
        );
      const url = `${status.frontUrl.replace(/\/+$/, '')}${gate.load.path}`;
      load = startLoad({
        file: resolve(ctx.root, gate.load.file),
        url,
        rps: gate.load.rps,
        labelled: gate.load.labelled,
      });
      log.info(`gate.load: ${gate.load.rps} rps from ${gate.load.file} to ${url}`);
    }
    log.info(
      `gate: ${gate.metrics.length} metric(s) from ${provider.kind}, a look every ${formatDuration(gate.interval)}, ` +
        `pass no earlier than ${formatDuration(gate.minDuration)}, at most ${formatDuration(gate.maxDuration)}, alpha ${gate.alpha}`,
    );
    const steps = await startSteps(ctx, target);
    const run = await runGate({
      settings: judgeSettings(gate),
      provider,
      intervalMs: gate.interval,
      clock: options.clock,
      onLook: (look) => log.info(lookLine(look)),
      onStartError: (message) => log.warn(`gate: could not read the starting point: ${message}`),
      tracksDown: () => tracksDown(target),
      ...(steps ? { steps } : {}),
    });
    await recordVerdict(ctx, target, canary, run.decision);
    await provider.close?.();
    loadStats = await load?.stop();
    load = undefined;
    return gateOutcome({
      gate,
      reportPath: join(ctx.reports.reportsDir, 'gate.json'),
      decision: run.decision,
      looks: run.looks,
      source: provider.kind,
      load: loadStats,
      ...(steps ? { steps: { percents: steps.percents, at: run.step } } : {}),
    });
  } finally {
    if (load) await load.stop().catch((e: unknown) => log.warn(`gate.load: ${errorMessage(e)}`));
    await target.dispose?.();
  }
}

/**
 * With deploy.steps the gate starts the ramp at steps[0] (where deploy left it; a gate run
 * again starts its evidence, so its ramp, over) and raises it every stepDuration.
 */
async function startSteps(ctx: StageContext, target: DeployTarget): Promise<GateSteps | undefined> {
  const { steps, stepDuration } = ctx.config.deploy;
  const first = steps?.[0];
  if (!steps || first === undefined) return undefined;
  await target.setTrafficShare(first);
  ctx.log.info(
    `gate: steps ${steps.map((p) => `${p}%`).join(' → ')} (canary and baseline each), ${formatDuration(stepDuration)} each; one judge carries its evidence across them`,
  );
  return {
    percents: steps,
    durationMs: stepDuration,
    raise: async (percent) => void (await target.setTrafficShare(percent)),
    onRaise: (percent, look) =>
      ctx.log.info(
        `gate: raised to ${percent}% each after look ${look}; the evidence so far carries on`,
      ),
  };
}

/** A canary or baseline that is gone ends the gate: there is nothing left to compare. */
async function tracksDown(
  target: DeployTarget,
): Promise<{ reason: string; message: string } | undefined> {
  const alive = await target.liveness();
  if (!alive.canary)
    return {
      reason: 'canary_down',
      message: 'the canary is not running (process exited or no pod available)',
    };
  if (!alive.baseline)
    return {
      reason: 'baseline_down',
      message: 'the baseline is not running (process exited or no pod available)',
    };
  return undefined;
}

/** The verdict goes on the target beside the canary it judged: promote reads it there. */
async function recordVerdict(
  ctx: StageContext,
  target: DeployTarget,
  canary: TrackStatus,
  decision: JudgeDecision,
): Promise<void> {
  if (decision.verdict === 'continue' || !canary.release) return;
  const record = {
    verdict: decision.verdict,
    reason: decision.reason,
    canary: canaryIdentity(canary.release, canary.deployedAt ?? 'unknown'),
    at: new Date().toISOString(),
  };
  try {
    await target.recordVerdict(record);
  } catch (e) {
    ctx.log.warn(
      `gate: could not record the verdict on the target (${errorMessage(e)}); promote will refuse this canary`,
    );
  }
}

function lookLine(look: LookRecord): string {
  const metrics = Object.entries(look.metrics)
    .map(([name, m]) => `${name} ${m.status}`)
    .join(', ');
  const step = look.step === undefined ? '' : ` at ${look.step}%`;
  return `gate look ${look.look} (${look.t}s${step}): ${look.problem ? `${look.problem.kind}: ${look.problem.message}` : metrics} → ${look.verdict}`;
}

/** The stage's result from the judge's decision: status, outputs, summary and the report's details. */
export function gateOutcome(options: {
  gate: StageContext['config']['gate'];
  reportPath: string;
  decision: JudgeDecision;
  looks: LookRecord[];
  source: string;
  load?: LoadStats;
  /** With deploy.steps: the shares, and the one at which the verdict came. */
  steps?: { percents: number[]; at?: number };
}): StageOutcome<'gate'> {
  const { gate, decision, looks, steps } = options;
  const extra = { source: options.source, load: options.load };
  const report = options.reportPath;
  const next = nextStep(decision.verdict, gate.onInconclusive);
  const unreachable =
    decision.reason === 'source_unreachable' &&
    looks.every((l) => l.problem?.kind === 'unreachable');
  return {
    status: decision.verdict === 'pass' ? 'success' : 'failure',
    reason: decision.reason,
    message: `${decision.verdict}${steps?.at === undefined ? '' : ` at step ${steps.at}%`}: ${decision.message}`,
    details: {
      verdict: decision.verdict,
      next,
      onInconclusive: gate.onInconclusive,
      source: extra.source,
      alpha: gate.alpha,
      intervalSeconds: gate.interval / 1000,
      metrics: decision.metrics,
      bounds: Object.fromEntries(decision.metrics.map((m) => [m.name, m.bounds])),
      looks,
      ...(steps ? { steps: steps.percents, step: steps.at } : {}),
      load: extra.load,
    },
    ...(decision.verdict === 'pass'
      ? {}
      : { exitCode: unreachable ? ExitCode.environment : ExitCode.checkFailed }),
    outputs: { verdict: decision.verdict, reason: decision.reason, report },
    summary: gateSummary(decision, {
      looks: looks.length,
      source: extra.source,
      next,
      ...(steps ? { steps: steps.percents, step: steps.at } : {}),
    }),
  };
}

export const gateStage: StageDefinition<'gate'> = {
  name: 'gate',
  description: 'compare the canary with its baseline at every interval; pass, fail or inconclusive',
  run: (ctx) => runGateStage(ctx),
};
