import { initialJudgeState, judge, type JudgeState } from '../analysis/judge.js';
import type {
  JudgeDecision,
  JudgeSettings,
  LookObservation,
  MetricStatus,
} from '../analysis/types.js';
import { errorMessage } from '../core/errors.js';
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
export interface LookRecord {
  look: number;
  /** Seconds since the gate started. */
  t: number;
  verdict: JudgeDecision['verdict'];
  problem?: LookObservation['problem'];
  metrics: Record<
    string,
    {
      canary?: number;
      baseline?: number;
      effect?: number;
      lower?: number;
      upper?: number;
      status: MetricStatus;
    }
  >;
}

export interface GateRun {
  decision: JudgeDecision;
  looks: LookRecord[];
  state: JudgeState;
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
    problem: obs.problem,
    metrics,
  };
}

/** The interval loop: wait an interval, collect, judge; until the judge decides. */
export async function runGate(options: RunGateOptions): Promise<GateRun> {
  const { settings, provider, intervalMs } = options;
  const clock = options.clock ?? realClock;
  const startedAt = clock.now();
  let state = initialJudgeState(settings);
  const looks: LookRecord[] = [];
  let lastDecision: JudgeDecision | undefined;
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
      return { decision: { verdict: 'inconclusive', ...down, metrics }, looks, state };
    }
    // Nominal time, so the number of looks does not depend on how long a look takes.
    const obs = await observe(provider, look * intervalMs);
    const step = judge(settings, state, obs);
    state = step.state;
    lastDecision = step.decision;
    const record = lookRecord(look, obs, step.decision);
    looks.push(record);
    options.onLook?.(record, step.decision);
    if (step.decision.verdict !== 'continue') return { decision: step.decision, looks, state };
  }
}
