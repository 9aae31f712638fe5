// `npm run bench:gate:limits -- [--samples N] [--seed S] [--json]`
// How early can ANY gate fail, at a given false-fail rate? Upper bounds for the targets that
// model-delivery's judge does not reach (see docs/gate.md, "Limits").
import { fileURLToPath } from 'node:url';
import { initialJudgeState, judge } from '../../src/analysis/judge.js';
import { BENCH_STABLE_MARGIN, modelDeliverySettings } from './judges.js';
import { binomial, createRandom, mixSeed, poisson } from './random.js';
import { SimulatedSource } from './simulator.js';
import { BUILTIN_SCENARIOS, resolveScenario, type Scenario, type TrackModel } from './scenarios.js';

/** One track's cumulative exposure and bad events after some looks. */
interface Counts {
  n: number;
  k: number;
}

/** Which events are "bad" for a metric, per request of a track, and the absolute bound on them. */
interface BadEvents {
  metric: string;
  /** The metric's name in the bench's gate (for its share of alpha). */
  name: string;
  /** Expected exposures per second (requests, or labelled requests). */
  exposure: (t: TrackModel) => number;
  /** P(bad) per exposure. */
  rate: (t: TrackModel) => number;
  /** The bound on the canary's bad-event rate (max error rate, 1 − min accuracy). */
  bound: number;
}

const ERRORS: BadEvents = {
  metric: 'error_rate (max 0.02)',
  name: 'error_rate',
  exposure: (t) => t.rps,
  rate: (t) => t.errorRate,
  bound: 0.02,
};
const MISSES: BadEvents = {
  metric: 'online_accuracy (min 0.85)',
  name: 'accuracy',
  exposure: (t) => t.rps * (1 - t.errorRate) * t.labelledFraction,
  rate: (t) => 1 - t.accuracy,
  bound: 0.15,
};

export interface LimitCase {
  scenario: string;
  events: BadEvents;
  /** The latest look at which the target is still met (fail by this look in ≥ half the runs). */
  look: number;
  target: string;
}

export const LIMIT_CASES: LimitCase[] = [
  {
    scenario: 'error-rate-1pct-to-5pct',
    events: ERRORS,
    look: 2,
    target: 'medianIntervalsToFail ≤ 2',
  },
  {
    scenario: 'error-rate-1pct-to-2pct',
    events: ERRORS,
    look: 5,
    target: "median no later than kayenta's 5",
  },
  {
    scenario: 'accuracy-minus-5pts',
    events: MISSES,
    look: 5,
    target: "median no later than kayenta's 5",
  },
];

/** Binomial log-likelihood without the constant; a zero count contributes 0 (also at p = 0 or 1). */
const logLik = (c: Counts, p: number) =>
  (c.k > 0 ? c.k * Math.log(p) : 0) + (c.n > c.k ? (c.n - c.k) * Math.log1p(-p) : 0);

/**
 * The power of the most powerful (Neyman-Pearson, randomized) level-α test of a simple null
 * against a simple alternative, from samples of the log-likelihood ratio under each.
 */
export function neymanPearsonPower(llrNull: number[], llrAlt: number[], alpha: number): number {
  const sorted = [...llrNull].sort((a, b) => b - a);
  const cut = Math.floor(alpha * sorted.length);
  const c = sorted[cut] as number;
  const above = sorted.filter((x) => x > c).length;
  const at = sorted.filter((x) => x === c).length;
  const gamma = (alpha * sorted.length - above) / at;
  const altAbove = llrAlt.filter((x) => x > c).length;
  const altAt = llrAlt.filter((x) => x === c).length;
  return (altAbove + gamma * altAt) / llrAlt.length;
}

/** Cumulative counts of both tracks after `looks` intervals, as the simulator draws them. */
function draw(
  s: Scenario,
  e: BadEvents,
  looks: number,
  rates: { canary: number; baseline: number },
  rnd: () => number,
): { canary: Counts; baseline: Counts } {
  const track = (t: TrackModel, p: number): Counts => {
    const n = poisson(e.exposure(t) * s.intervalSeconds * looks, rnd);
    return { n, k: binomial(n, p, rnd) };
  };
  return { canary: track(s.canary, rates.canary), baseline: track(s.baseline, rates.baseline) };
}

/**
 * max log-likelihood over the metric's null "canary within its bound and no worse than the
 * baseline" (p_c ≤ min(bound, p_b)). For a given p_c the best p_b is max(p_c, k_b/n_b), and the
 * profile is concave in p_c, so a golden-section search on (0, bound] finds the maximum.
 */
export function nullMaxLogLik(c: Counts, b: Counts, bound: number): number {
  const hatB = b.n > 0 ? b.k / b.n : 0;
  const f = (p: number) => logLik(c, p) + logLik(b, Math.max(p, hatB, 1e-12));
  let lo = 1e-9;
  let hi = bound;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 80; i++) {
    const x1 = hi - g * (hi - lo);
    const x2 = lo + g * (hi - lo);
    if (f(x1) < f(x2)) lo = x1;
    else hi = x2;
  }
  return Math.max(f((lo + hi) / 2), f(bound));
}

export interface LimitResult {
  scenario: string;
  metric: string;
  target: string;
  look: number;
  alpha: number;
  /** Upper bound on P(fail by `look`) for any test of this metric at level alpha. */
  fixedSampleBound: number;
  /** The least favourable null point (p_c = p_b = q) that gave the bound. */
  leastFavourableRate: number;
  /** P(fail by `look`) of the likelihood-ratio e-process that knows the true alternative. */
  oracleSequential: number;
  samples: number;
}

/** This metric's share of alpha in the bench's model-delivery gate (weights: critical 3, else 1). */
export function gateShare(c: LimitCase): number {
  const s = resolveScenario(
    BUILTIN_SCENARIOS.find((x) => x.name === c.scenario) ?? { name: c.scenario },
  );
  const m = initialJudgeState(modelDeliverySettings(s)).metrics.find(
    (x) => x.spec.name === c.events.name,
  );
  if (!m) throw new Error(`no metric ${c.events.name} in the bench's gate`);
  return m.alpha;
}

/**
 * P(fail by `look`) of model-delivery's whole gate (the bench's settings) on the simulated
 * traffic; with `stableMargin`, the gate that pools the stable track (gate.stableMargin).
 */
export function oursByLook(
  c: LimitCase,
  runs: number,
  seed: number,
  stableMargin?: number,
): number {
  const s = resolveScenario(
    BUILTIN_SCENARIOS.find((x) => x.name === c.scenario) ?? { name: c.scenario },
  );
  const settings = modelDeliverySettings(s, undefined, stableMargin);
  let failed = 0;
  for (let r = 0; r < runs; r++) {
    const source = new SimulatedSource(s, mixSeed(seed, 4, r));
    let state = initialJudgeState(settings);
    for (let l = 1; l <= c.look; l++) {
      const step = judge(settings, state, {
        elapsedMs: l * s.intervalSeconds * 1000,
        samples: source.collectNow(),
      });
      state = step.state;
      if (step.decision.verdict === 'fail') failed++;
      if (step.decision.verdict !== 'continue') break;
    }
  }
  return failed / runs;
}

export function computeLimit(
  c: LimitCase,
  alpha: number,
  samples: number,
  seed: number,
): LimitResult {
  const input = BUILTIN_SCENARIOS.find((x) => x.name === c.scenario);
  if (!input) throw new Error(`no built-in scenario ${c.scenario}`);
  const s = resolveScenario(input);
  const pc = c.events.rate(s.canary);
  const pb = c.events.rate(s.baseline);
  const alt = { canary: pc, baseline: pb };
  const llr = (d: { canary: Counts; baseline: Counts }, q: number) =>
    logLik(d.canary, pc) + logLik(d.baseline, pb) - logLik(d.canary, q) - logLik(d.baseline, q);

  // Every null point (q, q) with q ≤ min(bound, p_c) gives an upper bound; keep the smallest.
  let best = { power: Infinity, q: NaN };
  const top = Math.min(c.events.bound, pc);
  for (let i = 0; i <= 12; i++) {
    const q = pb + ((top - pb) * i) / 12;
    const rnd0 = createRandom(mixSeed(seed, 1, i));
    const rnd1 = createRandom(mixSeed(seed, 2, i));
    const nul = Array.from({ length: samples }, () =>
      llr(draw(s, c.events, c.look, { canary: q, baseline: q }, rnd0), q),
    );
    const alts = Array.from({ length: Math.ceil(samples / 4) }, () =>
      llr(draw(s, c.events, c.look, alt, rnd1), q),
    );
    const power = neymanPearsonPower(nul, alts, alpha);
    if (power < best.power) best = { power, q };
  }

  // The oracle e-process: L(true alternative) / max over the null, looked at every interval.
  const rnd = createRandom(mixSeed(seed, 3));
  const runs = Math.ceil(samples / 4);
  let crossed = 0;
  for (let r = 0; r < runs; r++) {
    const sum = { canary: { n: 0, k: 0 }, baseline: { n: 0, k: 0 } };
    for (let l = 1; l <= c.look; l++) {
      const d = draw(s, c.events, 1, alt, rnd);
      for (const t of ['canary', 'baseline'] as const) {
        sum[t].n += d[t].n;
        sum[t].k += d[t].k;
      }
      const e =
        logLik(sum.canary, pc) +
        logLik(sum.baseline, pb) -
        nullMaxLogLik(sum.canary, sum.baseline, c.events.bound);
      if (e >= Math.log(1 / alpha)) {
        crossed++;
        break;
      }
    }
  }
  return {
    scenario: c.scenario,
    metric: c.events.metric,
    target: c.target,
    look: c.look,
    alpha,
    fixedSampleBound: best.power,
    leastFavourableRate: best.q,
    oracleSequential: crossed / runs,
    samples,
  };
}

function main(argv: string[]): void {
  let samples = 100_000;
  let seed = 1;
  let json = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const int = () => {
      const v = argv[++i] ?? '';
      if (!/^\d+$/.test(v)) throw new Error(`${a}: expected a whole number, got "${v}"`);
      return Number(v);
    };
    if (a === '--samples') samples = int();
    else if (a === '--seed') seed = int();
    else if (a === '--json') json = true;
    else throw new Error(`unknown argument ${a}; use --samples N, --seed S, --json`);
  }
  // The oracle at this metric's share of the gate's alpha, and at all of it; beside it, the
  // gate itself (all four metrics, the bench's settings) on the same kind of traffic.
  const results = LIMIT_CASES.flatMap((c) => {
    const ours = oursByLook(c, Math.ceil(samples / 50), seed);
    const pooled = oursByLook(c, Math.ceil(samples / 50), seed, BENCH_STABLE_MARGIN);
    return [gateShare(c), 0.01].map((alpha) => ({
      ...computeLimit(c, alpha, samples, seed),
      modelDelivery: ours,
      modelDeliveryStable: pooled,
    }));
  });
  if (json) {
    process.stdout.write(`${JSON.stringify({ results }, null, 2)}\n`);
    return;
  }
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  console.log(
    `P(fail by the look) needed: ≥ 50%; ${samples} null samples per point, seed ${seed}\n`,
  );
  console.log(
    '| scenario | metric | target | look | α | fixed-sample bound (any test) | oracle e-process | model-delivery (whole gate, α 0.01) | model-delivery / oracle | with the stable track (stableMargin 10%) |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results)
    console.log(
      `| ${r.scenario} | ${r.metric} | ${r.target} | ${r.look} | ${Number(r.alpha.toPrecision(3))} | ${pct(r.fixedSampleBound)} (q = ${r.leastFavourableRate.toFixed(4)}) | ${pct(r.oracleSequential)} | ${pct(r.modelDelivery)} | ${(r.modelDelivery / r.oracleSequential).toFixed(2)} | ${pct(r.modelDeliveryStable)} |`,
    );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2));
