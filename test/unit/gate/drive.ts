import { initialJudgeState, judge, type JudgeState } from '../../../src/analysis/judge.js';
import type {
  HistogramBucket,
  JudgeDecision,
  JudgeSettings,
  LookObservation,
  LookSamples,
  MetricSpec,
  Sample,
} from '../../../src/analysis/types.js';

/** Shared by the judge's tests: settings, a driver that looks every 30 s, sample builders. */
export const S = 1000;

export function settings(metrics: MetricSpec[], extra: Partial<JudgeSettings> = {}): JudgeSettings {
  return { alpha: 0.01, minDurationMs: 60 * S, maxDurationMs: 300 * S, metrics, ...extra };
}

/** Runs looks every 30 s until a decision; `look(i)` gives look i's samples or problem. */
export function drive(
  s: JudgeSettings,
  look: (i: number) => Omit<LookObservation, 'elapsedMs'>,
): { decision: JudgeDecision; looks: number } {
  let state: JudgeState = initialJudgeState(s);
  for (let i = 1; ; i++) {
    const step = judge(s, state, { elapsedMs: i * 30 * S, ...look(i) });
    state = step.state;
    if (step.decision.verdict !== 'continue') return { decision: step.decision, looks: i };
  }
}

export const both = (
  canary: Sample,
  baseline: Sample,
  name = 'errors',
): { samples: LookSamples } => ({
  samples: { canary: { [name]: canary }, baseline: { [name]: baseline } },
});

/** A histogram sample with the expected counts of `cdf` at `bounds` (+Inf last). */
export function histogram(bounds: number[], cdf: (le: number) => number, n: number): Sample {
  const buckets: HistogramBucket[] = bounds.map((le) => ({
    le,
    count: Number.isFinite(le) ? Math.round(n * cdf(le)) : n,
  }));
  return { kind: 'buckets', buckets, count: n };
}
