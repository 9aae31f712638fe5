import { initialJudgeState, judge, type JudgeState } from '../analysis/judge.js';
import type { JudgeDecision, JudgeSettings, LookObservation } from '../analysis/types.js';
import { errorMessage } from '../core/errors.js';
import type { GateLookDetails } from '../report/stage-details.js';
import { NoDataError, type MetricProvider } from '../metrics/types.js';

/** Time as the loop sees it; the benchmark passes a virtual clock. */
export interface GateClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: GateClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** One look as the report keeps it (charted per metric: canary against baseline). */
export type LookRecord = GateLookDetails;

export interface GateRun {
  decision: JudgeDecision;
  looks: LookRecord[];
  state: JudgeState;
  /** With steps: the share (percent) at which the verdict came. */
  step?: number;
}

/**
 * Progressive steps (deploy.steps): the share canary and baseline each get is raised every
 * `durationMs`, after a look, while one judge state carries across the steps (its tests
 * are anytime-valid, so what was gathered at 10 % stays evidence at 25 %). A fail ends the
 * gate at any step; a pass is held until the last step has run, `percents.length ×
 * durationMs` after the start.
 */
export interface GateSteps {
  /** Strictly increasing; the target already runs percents[0] when the gate starts. */
  percents: number[];
  durationMs: number;
  /** Sets the next share on the target; a throw ends the gate inconclusive (`step_failed`). */
  raise: (percent: number) => Promise<void>;
  onRaise?: (percent: number, afterLook: number) => void;
}

export interface RunGateOptions {
  settings: JudgeSettings;
  provider: MetricProvider;
  intervalMs: number;
  clock?: GateClock;
  onLook?: (look: LookRecord, decision: JudgeDecision) => void;
  onStartError?: (message: string) => void;
  /**
   * Asked before each look: a reason (`canary_down`, `baseline_down`) ends the gate at once
   * as inconclusive, with that reason and message, instead of polling a dead track until
   * maxDuration.
   */
  tracksDown?: () => Promise<{ reason: string; message: string } | undefined>;
  steps?: GateSteps;
}

/** Turns a provider's answer (or its error) into the judge's observation. */
export async function observe(
  provider: MetricProvider,
  elapsedMs: number,
): Promise<LookObservation> {
  try {
    return { elapsedMs, samples: await provider.collect() };
  } catch (e) {
    return {
      elapsedMs,
      problem: {
        kind: e instanceof NoDataError ? 'no_data' : 'unreachable',
        message: errorMessage(e),
      },
    };
  }
}

export function lookRecord(
  look: number,
  obs: LookObservation,
  decision: JudgeDecision,
  step?: number,
): LookRecord {
  const metrics: LookRecord['metrics'] = {};
  for (const m of decision.metrics) {
    metrics[m.name] = {
      canary: m.canary,
      baseline: m.baseline,
      effect: m.effect?.estimate,
      lower: m.effect?.lower,
      upper: m.effect?.upper,
      status: m.status,
    };
  }
  return {
    look,
    t: obs.elapsedMs / 1000,
    verdict: decision.verdict,
    ...(step === undefined ? {} : { step }),
    problem: obs.problem,
    metrics,
  };
}

/** The interval loop: wait an interval, collect, judge; until the judge decides. */
export async function runGate(options: RunGateOptions): Promise<GateRun> {
  const { settings, provider, intervalMs, steps } = options;
  const clock = options.clock ?? realClock;
  const startedAt = clock.now();
  let state = initialJudgeState(settings);
  const looks: LookRecord[] = [];
  let lastDecision: JudgeDecision | undefined;
  let stepIndex = 0;
  const share = () => steps?.percents[stepIndex];
  // A failed start is not fatal: the first look then reads the source again and reports.
  if (provider.start) {
    await provider.start().then(
      () => undefined,
      (e: unknown) => options.onStartError?.(errorMessage(e)),
    );
  }
  for (let look = 1; ; look++) {
    await clock.sleep(startedAt + look * intervalMs - clock.now());
    const down = await options.tracksDown?.();
    if (down) {
      const metrics = lastDecision?.metrics ?? [];
      const decision = { verdict: 'inconclusive' as const, ...down, metrics };
      return { decision, looks, state, ...stepOf(share()) };
    }
    // Nominal time, so the number of looks does not depend on how long a look takes.
    const obs = await observe(provider, look * intervalMs);
    const judged = judge(settings, state, obs);
    state = judged.state;
    const decision = steps
      ? holdPass(judged.decision, steps, stepIndex, obs.elapsedMs)
      : judged.decision;
    lastDecision = decision;
    const record = lookRecord(look, obs, decision, share());
    looks.push(record);
    options.onLook?.(record, decision);
    if (decision.verdict !== 'continue') return { decision, looks, state, ...stepOf(share()) };
    const next = steps?.percents[stepIndex + 1];
    if (steps && next !== undefined && obs.elapsedMs >= (stepIndex + 1) * steps.durationMs) {
      try {
        await steps.raise(next);
      } catch (e) {
        const message = `could not raise the traffic share to ${next}%: ${errorMessage(e)}`;
        const failed = { verdict: 'inconclusive' as const, reason: 'step_failed', message };
        return {
          decision: { ...failed, metrics: decision.metrics },
          looks,
          state,
          ...stepOf(share()),
        };
      }
      stepIndex += 1;
      steps.onRaise?.(next, look);
    }
  }
}

const stepOf = (step: number | undefined) => (step === undefined ? {} : { step });

/**
 * A pass before the last step has run is held (the gate goes on): the ramp exists to judge
 * the canary at the share it will be promoted from. The evidence stays valid meanwhile.
 */
function holdPass(
  decision: JudgeDecision,
  steps: GateSteps,
  stepIndex: number,
  elapsedMs: number,
): JudgeDecision {
  const last = steps.percents.length - 1;
  if (decision.verdict !== 'pass') return decision;
  if (stepIndex === last && elapsedMs >= steps.percents.length * steps.durationMs) return decision;
  return {
    ...decision,
    verdict: 'continue',
    reason: 'running',
    message: `shown inside the bounds at ${steps.percents[stepIndex]}%, held until the last step (${steps.percents[last]}%) has run`,
  };
}
