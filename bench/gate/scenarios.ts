/** Benchmark scenarios: what each track serves, and how long the gate may run. */

export interface TrackModel {
  /** Requests per second (Poisson arrivals). */
  rps: number;
  /** Share of requests that fail. */
  errorRate: number;
  /** Log-normal latency, given by its median and 95th percentile. */
  latency: { medianMs: number; p95Ms: number };
  /** Share of successful requests that carry their true label (gate.load sends labels). */
  labelledFraction: number;
  /** Share of labelled predictions that are right. */
  accuracy: number;
  /** Prediction scores: normal, clamped to [0, 1]. */
  scores: { mean: number; sd: number };
}

export interface Scenario {
  name: string;
  baseline: TrackModel;
  canary: TrackModel;
  intervals: number;
  intervalSeconds: number;
  minDurationIntervals: number;
  runs: number;
  seed: number;
  /** The source returns nothing for either track. */
  noData: boolean;
}

export const DEFAULT_TRACK: TrackModel = {
  rps: 5,
  errorRate: 0.01,
  latency: { medianMs: 80, p95Ms: 200 },
  labelledFraction: 1,
  accuracy: 0.92,
  scores: { mean: 0.5, sd: 0.2 },
};

export const DEFAULTS = {
  intervals: 20,
  intervalSeconds: 30,
  minDurationIntervals: 2,
  runs: 1000,
  seed: 1,
};

/** A scenario as written in a --scenarios file: every field optional except the name. */
export interface ScenarioInput {
  name: string;
  /** Applies to both tracks. */
  tracks?: Partial<TrackModel>;
  baseline?: Partial<TrackModel>;
  canary?: Partial<TrackModel>;
  intervals?: number;
  intervalSeconds?: number;
  minDurationIntervals?: number;
  runs?: number;
  seed?: number;
  noData?: boolean;
}

const shifted = (by: number) => ({
  mean: DEFAULT_TRACK.scores.mean + by * DEFAULT_TRACK.scores.sd,
  sd: DEFAULT_TRACK.scores.sd,
});

export const BUILTIN_SCENARIOS: ScenarioInput[] = [
  { name: 'aa' },
  { name: 'error-rate-1pct-to-5pct', canary: { errorRate: 0.05 } },
  { name: 'error-rate-1pct-to-2pct', tracks: { rps: 20 }, canary: { errorRate: 0.02 } },
  { name: 'latency-p95-plus-50pct', canary: { latency: { medianMs: 120, p95Ms: 300 } } },
  { name: 'accuracy-minus-5pts', canary: { accuracy: 0.87 } },
  { name: 'prediction-drift', canary: { scores: shifted(0.5) } },
  { name: 'low-traffic-aa', tracks: { rps: 0.2 } },
  { name: 'no-data', noData: true },
];

const TRACK_KEYS = new Set(Object.keys(DEFAULT_TRACK));
const SCENARIO_KEYS = new Set([
  'name',
  'tracks',
  'baseline',
  'canary',
  'intervals',
  'intervalSeconds',
  'minDurationIntervals',
  'runs',
  'seed',
  'noData',
]);

function checkTrack(where: string, t: unknown): string[] {
  if (t === undefined) return [];
  if (typeof t !== 'object' || t === null) return [`${where}: expected an object`];
  const problems = Object.keys(t)
    .filter((k) => !TRACK_KEYS.has(k))
    .map((k) => `${where}.${k}: unknown field; fields: ${[...TRACK_KEYS].join(', ')}`);
  const v = t as Partial<TrackModel>;
  const share = (k: 'errorRate' | 'labelledFraction' | 'accuracy') => {
    const x = v[k];
    if (x !== undefined && !(typeof x === 'number' && x >= 0 && x <= 1))
      problems.push(`${where}.${k}: expected a number in [0, 1]`);
  };
  share('errorRate');
  share('labelledFraction');
  share('accuracy');
  if (v.rps !== undefined && !(typeof v.rps === 'number' && v.rps >= 0))
    problems.push(`${where}.rps: expected a number ≥ 0`);
  if (v.latency && !(v.latency.medianMs > 0 && v.latency.p95Ms > v.latency.medianMs)) {
    problems.push(`${where}.latency: expected { medianMs > 0, p95Ms > medianMs }`);
  }
  if (v.scores && !(typeof v.scores.mean === 'number' && v.scores.sd > 0))
    problems.push(`${where}.scores: expected { mean, sd > 0 }`);
  return problems;
}

/** Validates and fills one scenario; `overrides` (from --runs/--seed) win over the file. */
export function resolveScenario(
  input: ScenarioInput,
  overrides: { runs?: number; seed?: number } = {},
): Scenario {
  const problems: string[] = [];
  if (typeof input.name !== 'string' || !input.name) problems.push('name: required');
  for (const k of Object.keys(input))
    if (!SCENARIO_KEYS.has(k))
      problems.push(`${k}: unknown field; fields: ${[...SCENARIO_KEYS].join(', ')}`);
  problems.push(
    ...checkTrack('tracks', input.tracks),
    ...checkTrack('baseline', input.baseline),
    ...checkTrack('canary', input.canary),
  );
  for (const k of ['intervals', 'runs'] as const) {
    const x = input[k];
    if (x !== undefined && !(Number.isInteger(x) && x >= 1))
      problems.push(`${k}: expected an integer ≥ 1`);
  }
  if (problems.length)
    throw new Error(`scenario ${input.name ?? '(unnamed)'}:\n  - ${problems.join('\n  - ')}`);
  const both = { ...DEFAULT_TRACK, ...input.tracks };
  return {
    name: input.name,
    baseline: { ...both, ...input.baseline },
    canary: { ...both, ...input.canary },
    intervals: input.intervals ?? DEFAULTS.intervals,
    intervalSeconds: input.intervalSeconds ?? DEFAULTS.intervalSeconds,
    minDurationIntervals: input.minDurationIntervals ?? DEFAULTS.minDurationIntervals,
    runs: overrides.runs ?? input.runs ?? DEFAULTS.runs,
    seed: overrides.seed ?? input.seed ?? DEFAULTS.seed,
    noData: input.noData ?? false,
  };
}
