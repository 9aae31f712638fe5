import {
  STATISTICAL_TYPES,
  displayValue,
  effectOf,
  failureEvidence,
  initialMetricState,
  insideBounds,
  sampleCount,
  updateMetric,
  type MetricState,
} from './metric-state.js';
import type {
  JudgeDecision,
  JudgeSettings,
  LookObservation,
  MetricResult,
  MetricSpec,
  Tolerance,
} from './types.js';

/**
 * The gate's judge: pure, stepped one look at a time. `judge(settings, state, observation)`
 * returns the next state and a decision (`continue` until one is reached).
 *
 * - fail: at any look, as soon as a critical metric's failure test crosses 1/α_m; a
 *   non-critical metric's failure ends the gate at the first look after minDuration;
 * - pass early: after minDuration, once every metric is shown inside its bounds;
 * - at maxDuration: pass when nothing failed and every metric has its minimum sample,
 *   otherwise inconclusive. Missing data and an unreachable source never pass.
 */
export interface JudgeState {
  look: number;
  metrics: MetricState[];
  looksWithData: number;
  unreachableLooks: number;
  noDataLooks: number;
  lastProblem?: LookObservation['problem'];
}

/** Bonferroni: each statistical metric gets an equal share of alpha; point checks need none. */
export function initialJudgeState(settings: JudgeSettings): JudgeState {
  const statistical = settings.metrics.filter((m) => STATISTICAL_TYPES.has(m.type)).length;
  const share = statistical > 0 ? settings.alpha / statistical : settings.alpha;
  return {
    look: 0,
    metrics: settings.metrics.map((m) => initialMetricState(m, share)),
    looksWithData: 0,
    unreachableLooks: 0,
    noDataLooks: 0,
  };
}

function formatTolerance(t: Tolerance): string {
  return t.percent ? `${t.value}%` : String(t.value);
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

/** Point checks (gauge, query): the canary's value against min/max, and against the baseline. */
function pointViolation(state: MetricState): { reason: string; message: string } | undefined {
  const { spec } = state;
  const c = state.canary.value;
  const b = state.baseline.value;
  if (c === undefined) return undefined;
  if (spec.max !== undefined && c > spec.max)
    return { reason: 'threshold_exceeded', message: `${spec.name} ${c} > max ${spec.max}` };
  if (spec.min !== undefined && c < spec.min)
    return { reason: 'threshold_exceeded', message: `${spec.name} ${c} < min ${spec.min}` };
  if (b === undefined) return undefined;
  const limit = (t: Tolerance) => (t.percent ? (Math.abs(b) * t.value) / 100 : t.value);
  if (spec.maxIncrease && c - b > limit(spec.maxIncrease)) {
    return {
      reason: 'canary_worse_than_baseline',
      message: `${spec.name} ${c} exceeds baseline ${b} by more than ${formatTolerance(spec.maxIncrease)}`,
    };
  }
  if (spec.maxDecrease && b - c > limit(spec.maxDecrease)) {
    return {
      reason: 'canary_worse_than_baseline',
      message: `${spec.name} ${c} is below baseline ${b} by more than ${formatTolerance(spec.maxDecrease)}`,
    };
  }
  return undefined;
}

function checkFailure(state: MetricState, look: number): MetricState {
  if (state.failure) return state;
  if (!STATISTICAL_TYPES.has(state.spec.type)) {
    const v = pointViolation(state);
    return v ? { ...state, failure: { ...v, look } } : state;
  }
  const { logE, strongest } = failureEvidence(state);
  if (!strongest || logE < Math.log(1 / state.alpha)) return state;
  const reason =
    strongest.kind === 'absolute'
      ? 'threshold_exceeded'
      : state.spec.type === 'distribution'
        ? 'prediction_drift'
        : 'canary_worse_than_baseline';
  const what =
    strongest.kind === 'absolute'
      ? `beyond its bound (${JSON.stringify(boundsOf(state.spec))})`
      : state.spec.type === 'distribution'
        ? 'shifted against the baseline'
        : 'worse than the baseline';
  return {
    ...state,
    failure: {
      reason,
      look,
      message: `${state.spec.name} is ${what}: e-value ${Math.exp(logE).toPrecision(3)} ≥ 1/α = ${(1 / state.alpha).toPrecision(3)}`,
    },
  };
}

function pointInside(state: MetricState): boolean {
  return state.canary.value !== undefined && pointViolation(state) === undefined;
}

function enoughSamples(state: MetricState): boolean {
  const n = sampleCount(state);
  return Math.min(n.canary, n.baseline) >= state.spec.minSamples;
}

function metricResult(state: MetricState, final: boolean): MetricResult {
  const { spec } = state;
  const samples = sampleCount(state);
  const hasData = samples.canary > 0 && samples.baseline > 0;
  const statistical = STATISTICAL_TYPES.has(spec.type);
  const inside = statistical ? insideBounds(state) : pointInside(state);
  let status: MetricResult['status'];
  if (state.failure) status = 'fail';
  else if (!hasData) status = 'no_data';
  else if (inside && enoughSamples(state)) status = 'pass';
  else if (final) status = enoughSamples(state) ? 'pass' : 'low_traffic';
  else status = 'running';
  return {
    name: spec.name,
    type: spec.type,
    critical: spec.critical,
    status,
    reason: state.failure?.reason,
    canary: displayValue(state, state.canary),
    baseline: displayValue(state, state.baseline),
    effect: statistical ? effectOf(state) : undefined,
    confidence: statistical ? 1 - state.alpha : undefined,
    samples,
    logEvidence: statistical && state.tests.length ? failureEvidence(state).logE : undefined,
    bounds: boundsOf(spec),
    note: state.note,
  };
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
    const { canary, baseline } = obs.samples;
    state.looksWithData++;
    state.metrics = prev.metrics.map((m) =>
      checkFailure(updateMetric(m, canary[m.spec.name], baseline[m.spec.name]), look),
    );
  } else if (obs.problem?.kind === 'unreachable') state.unreachableLooks++;
  else state.noDataLooks++;

  const final = obs.elapsedMs >= settings.maxDurationMs;
  const afterMin = obs.elapsedMs >= settings.minDurationMs;
  const results = state.metrics.map((m) => metricResult(m, final));
  const decide = (verdict: JudgeDecision['verdict'], reason: string, message: string) => ({
    state,
    decision: { verdict, reason, message, metrics: results },
  });

  const failed = state.metrics.filter((m) => m.failure);
  const fatal = failed.find((m) => m.spec.critical) ?? (afterMin || final ? failed[0] : undefined);
  if (fatal?.failure) return decide('fail', fatal.failure.reason, fatal.failure.message);

  const dataNow = !obs.problem && obs.samples !== undefined;
  if (
    afterMin &&
    dataNow &&
    results.length > 0 &&
    results.every((r) => r.status === 'pass') &&
    !final
  ) {
    return decide(
      'pass',
      'all_metrics_within_bounds',
      "every metric is inside its bounds at the gate's confidence",
    );
  }
  if (!final) return decide('continue', 'running', `look ${look}: no decision yet`);

  if (state.looksWithData === 0 && state.unreachableLooks > 0) {
    return decide(
      'inconclusive',
      'source_unreachable',
      `the metric source was unreachable at every look: ${obs.problem?.message ?? ''}`.trim(),
    );
  }
  if (!dataNow) {
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
  return decide(
    'pass',
    'no_regression_detected',
    'no metric showed a regression by the end of the gate, and every metric has its minimum sample',
  );
}
