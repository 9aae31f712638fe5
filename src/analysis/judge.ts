import { formatTolerance, pointViolation, type PointState } from './metric-point.js';
import {
  claimsOf,
  displayValue,
  effectOf,
  initialMetricState,
  isStatistical,
  sampleCount,
  subTestsOf,
  updateMetric,
  type MetricState,
  type StatisticalState,
} from './metric-state.js';
import { histogramResolution } from './metric-histogram.js';
import { logEvidenceWorse } from './sub-test.js';
import type {
  Claim,
  JudgeDecision,
  JudgeSettings,
  LookObservation,
  MetricResult,
  MetricSpec,
} from './types.js';

/**
 * The gate's judge: pure, stepped one look at a time. `judge(settings, state, observation)`
 * returns the next state and a decision (`continue` until one is reached).
 *
 * - fail: at any look, as soon as a critical metric's count crosses its spending boundary
 *   (calibrated to the gate's looks at the metric's share of alpha); a non-critical
 *   metric's failure ends the gate at the first look after minDuration;
 * - pass early: after minDuration, once every metric is settled: each claim it makes is
 *   shown at 1 − alpha, and it has its minimum sample;
 * - at maxDuration: pass when nothing failed, every metric has its minimum sample and every
 *   tolerance the user set is shown; a tolerance not shown is `inconclusive`
 *   (insufficient_evidence). Missing data and an unreachable source never pass.
 */
export interface JudgeState {
  look: number;
  metrics: MetricState[];
  looksWithData: number;
  unreachableLooks: number;
  noDataLooks: number;
  lastProblem?: LookObservation['problem'];
}

/** Critical metrics get three times the share of alpha by default: failing them early matters most. */
export const weightOf = (m: MetricSpec): number => m.weight ?? (m.critical ? 3 : 1);

/** Each statistical metric's share of alpha, in proportion to its weight (Bonferroni). */
export function initialJudgeState(settings: JudgeSettings): JudgeState {
  const statistical = settings.metrics.filter((m) => m.type !== 'gauge' && m.type !== 'query');
  const total = statistical.reduce((s, m) => s + weightOf(m), 0);
  return {
    look: 0,
    metrics: settings.metrics.map((m) =>
      initialMetricState(
        m,
        total > 0 ? (settings.alpha * weightOf(m)) / total : settings.alpha,
        settings.stableMargin,
      ),
    ),
    looksWithData: 0,
    unreachableLooks: 0,
    noDataLooks: 0,
  };
}

export function boundsOf(spec: MetricSpec): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  if (spec.min !== undefined) out.min = spec.min;
  if (spec.max !== undefined) out.max = spec.max;
  if (spec.maxIncrease) out.maxIncrease = formatTolerance(spec.maxIncrease);
  if (spec.maxDecrease) out.maxDecrease = formatTolerance(spec.maxDecrease);
  if (spec.maxShift) out.maxShift = formatTolerance(spec.maxShift);
  if (spec.quantile !== undefined) out.quantile = spec.quantile;
  return out;
}

function statisticalFailure(state: StatisticalState, look: number): MetricState['failure'] {
  const failed = subTestsOf(state).find((t) => t.failedAt !== undefined);
  if (!failed) return undefined;
  const absolute = failed.kind === 'absolute';
  const drift = state.type === 'distribution';
  const what = absolute
    ? `beyond its bound (${JSON.stringify(boundsOf(state.spec))})`
    : drift
      ? 'shifted against the baseline'
      : 'worse than the baseline beyond its tolerance';
  return {
    reason: absolute
      ? 'threshold_exceeded'
      : drift
        ? 'prediction_drift'
        : 'canary_worse_than_baseline',
    look,
    message: `${state.spec.name} is ${what}: the canary's count crossed the boundary calibrated to the gate's looks at α ${failed.alpha.toPrecision(2)}`,
  };
}

function checkFailure(state: MetricState, look: number): MetricState {
  if (state.failure) return state;
  const failure = isStatistical(state)
    ? statisticalFailure(state, look)
    : pointFailure(state, look);
  return failure ? { ...state, failure } : state;
}

function pointFailure(state: PointState, look: number): MetricState['failure'] {
  const v = pointViolation(state);
  return v && { ...v, look };
}

function enoughSamples(state: MetricState): boolean {
  const n = sampleCount(state);
  return Math.min(n.canary, n.baseline) >= state.spec.minSamples;
}

function status(state: MetricState, claims: Claim[], final: boolean): MetricResult['status'] {
  const samples = sampleCount(state);
  if (state.failure) return 'fail';
  if (!(samples.canary > 0 && samples.baseline > 0)) return 'no_data';
  const enough = enoughSamples(state);
  const settled = isStatistical(state)
    ? claims.length > 0 && claims.every((c) => c.shown || c.notAssessable)
    : pointViolation(state) === undefined && state.canary.value !== undefined;
  if (settled && enough) return 'pass';
  if (!final) return 'running';
  if (!enough) return 'low_traffic';
  return claims.some((c) => c.required && !c.shown) ? 'insufficient_evidence' : 'pass';
}

function noteOf(
  state: MetricState,
  claims: Claim[],
  st: MetricResult['status'],
): string | undefined {
  if (!isStatistical(state) || st !== 'pass' || claims.some((c) => c.shown)) return state.note;
  const nothing = 'passes on no regression: without a tolerance it certifies nothing';
  return state.note ? `${state.note}; ${nothing}` : nothing;
}

function metricResult(
  state: MetricState,
  alpha: number,
  o: { final: boolean; detail: boolean },
): MetricResult {
  const { spec } = state;
  const final = o.final;
  const statistical = isStatistical(state);
  const claims = claimsOf(state, alpha, o.detail);
  const st = status(state, claims, final);
  const tests = subTestsOf(state);
  return {
    name: spec.name,
    type: spec.type,
    critical: spec.critical,
    status: st,
    reason: state.failure?.reason,
    canary: displayValue(state, 'canary'),
    baseline: displayValue(state, 'baseline'),
    effect: effectOf(state, alpha),
    confidence: statistical ? 1 - alpha : undefined,
    samples: sampleCount(state),
    logEvidence: tests.length ? Math.max(...tests.map(logEvidenceWorse)) : undefined,
    alphaShare: statistical ? state.alpha : undefined,
    certifiedAt: statistical ? 1 - alpha : undefined,
    claims,
    resolution: state.type === 'histogram' ? histogramResolution(state) : undefined,
    bounds: boundsOf(spec),
    note: noteOf(state, claims, st),
  };
}

const percent = (x: number) => `${Number((100 * x).toPrecision(3))}%`;

/** "error_rate needs …; the data support …; about 2.3× the traffic so far would settle it." */
function evidenceMessage(results: MetricResult[], elapsedMs: number, alpha: number): string {
  const parts = results.flatMap((r) =>
    r.claims
      .filter((c) => c.required && !c.shown)
      .map((c) => {
        const more =
          c.supported === 'nothing yet'
            ? 'no data bear on it yet'
            : c.moreTraffic === undefined
              ? 'the estimate itself is beyond the tolerance, so more traffic would not settle it as a pass'
              : `about ${c.moreTraffic}× the traffic so far (≈ ${Math.ceil(((c.moreTraffic - 1) * elapsedMs) / 60_000)} more minute(s) at this rate) would settle it`;
        return `${r.name}: a pass needs ${c.claim}; the data support ${c.supported} at ${percent(1 - alpha)}; ${more}`;
      }),
  );
  return `not enough evidence by maxDuration: ${parts.join('. ')}`;
}

/** One step of the judge. */
export function judge(
  settings: JudgeSettings,
  prev: JudgeState,
  obs: LookObservation,
): { state: JudgeState; decision: JudgeDecision } {
  const look = prev.look + 1;
  const state: JudgeState = { ...prev, look, lastProblem: obs.problem };
  if (obs.samples && !obs.problem) {
    const { canary, baseline, stable } = obs.samples;
    const ctx = {
      look,
      t: obs.elapsedMs / settings.maxDurationMs,
      stableMargin: settings.stableMargin,
    };
    state.looksWithData++;
    state.metrics = prev.metrics.map((m) =>
      checkFailure(
        updateMetric(m, canary[m.spec.name], baseline[m.spec.name], ctx, stable?.[m.spec.name]),
        look,
      ),
    );
  } else if (obs.problem?.kind === 'unreachable') state.unreachableLooks++;
  else state.noDataLooks++;

  const final = obs.elapsedMs >= settings.maxDurationMs;
  const afterMin = obs.elapsedMs >= settings.minDurationMs;
  const results = state.metrics.map((m) =>
    metricResult(m, settings.alpha, { final, detail: final }),
  );
  // A decision reports the supported margins; a look that continues only needs the statuses.
  const decide = (verdict: JudgeDecision['verdict'], reason: string, message: string) => ({
    state,
    decision: {
      verdict,
      reason,
      message,
      metrics:
        verdict === 'continue' || final
          ? results
          : state.metrics.map((m) => metricResult(m, settings.alpha, { final, detail: true })),
    },
  });

  const failed = state.metrics.filter((m) => m.failure);
  const fatal = failed.find((m) => m.spec.critical) ?? (afterMin || final ? failed[0] : undefined);
  if (fatal?.failure) return decide('fail', fatal.failure.reason, fatal.failure.message);

  const dataNow = !obs.problem && obs.samples !== undefined;
  const settled = results.length > 0 && results.every((r) => r.status === 'pass');
  if (afterMin && dataNow && settled && !final) {
    return decide(
      'pass',
      'all_metrics_within_bounds',
      `every metric is shown inside its bounds and tolerances at ${percent(1 - settings.alpha)}`,
    );
  }
  if (!final) return decide('continue', 'running', `look ${look}: no decision yet`);
  return finalDecision(state, obs, results, settings.alpha, decide);
}

function finalDecision(
  state: JudgeState,
  obs: LookObservation,
  results: MetricResult[],
  alpha: number,
  decide: (
    v: JudgeDecision['verdict'],
    reason: string,
    message: string,
  ) => {
    state: JudgeState;
    decision: JudgeDecision;
  },
) {
  if (state.looksWithData === 0 && state.unreachableLooks > 0) {
    return decide(
      'inconclusive',
      'source_unreachable',
      `the metric source was unreachable at every look: ${obs.problem?.message ?? ''}`.trim(),
    );
  }
  if (obs.problem || !obs.samples) {
    const why = obs.problem?.kind === 'unreachable' ? 'source_unreachable' : 'no_data';
    return decide(
      'inconclusive',
      why,
      `no data at the last look (${obs.problem?.message ?? 'nothing returned'}); missing evidence never promotes`,
    );
  }
  const missing = results.filter((r) => r.status === 'no_data');
  if (missing.length)
    return decide(
      'inconclusive',
      'no_data',
      `no data for ${missing.map((r) => r.name).join(', ')}`,
    );
  const low = results.filter((r) => r.status === 'low_traffic');
  if (low.length) {
    return decide(
      'inconclusive',
      'low_traffic',
      `too few samples for ${low.map((r) => `${r.name} (${Math.min(r.samples.canary, r.samples.baseline)})`).join(', ')}`,
    );
  }
  if (results.some((r) => r.status === 'insufficient_evidence'))
    return decide(
      'inconclusive',
      'insufficient_evidence',
      evidenceMessage(results, obs.elapsedMs, alpha),
    );
  const claims = results.flatMap((r) => r.claims);
  if (claims.length > 0 && claims.every((c) => c.shown || c.notAssessable))
    return decide(
      'pass',
      'all_metrics_within_bounds',
      `every metric is shown inside its bounds and tolerances at ${percent(1 - alpha)}`,
    );
  const open = results.filter((r) => r.claims.some((c) => !c.shown)).map((r) => r.name);
  return decide(
    'pass',
    'no_regression_detected',
    `no metric failed and every tolerance set is shown; ${open.join(', ')} certif${open.length === 1 ? 'ies' : 'y'} only part of ${open.length === 1 ? 'its bounds' : 'their bounds'} (no tolerance, or a bound not shown)`,
  );
}
