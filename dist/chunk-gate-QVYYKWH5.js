#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  certifiedParts
} from "./chunk-chunk-MXHAXZZH.js";
import {
  metricQueries,
  promDuration,
  renderLabels
} from "./chunk-chunk-2LWASR6Q.js";
import {
  createDeployTarget
} from "./chunk-chunk-DCBSDARP.js";
import {
  canaryIdentity
} from "./chunk-chunk-J2GCOEOM.js";
import "./chunk-chunk-Q7E7TLEC.js";
import "./chunk-chunk-P442FGTM.js";
import "./chunk-chunk-J7G6J27Q.js";
import "./chunk-chunk-LVULIS6K.js";
import "./chunk-chunk-FZYHBISI.js";
import "./chunk-chunk-Q5KLLHKY.js";
import "./chunk-chunk-P2RBSKVU.js";
import "./chunk-chunk-GXSRNDTE.js";
import "./chunk-chunk-BD2AABV4.js";
import "./chunk-chunk-EGNDYM6A.js";
import "./chunk-chunk-SSOYEDRJ.js";
import "./chunk-chunk-VV2JPDBC.js";
import {
  STATUS_EMOJI,
  formatNumber,
  markdownTable
} from "./chunk-chunk-Q3LNTHG7.js";
import "./chunk-chunk-YOU5EUFK.js";
import {
  formatDuration,
  parseDuration
} from "./chunk-chunk-PF54JKQR.js";
import {
  CheckFailedError,
  ConfigError,
  ExitCode,
  errorMessage
} from "./chunk-chunk-JOF44I4G.js";
import "./chunk-chunk-YW753B3X.js";

// src/stages/gate.ts
import { join, resolve } from "node:path";

// src/gate/settings.ts
var DEFAULT_MIN_SAMPLES = 100;
function toTolerance(a) {
  if (a === void 0) return void 0;
  if (typeof a === "number") return { percent: false, value: a };
  return { percent: true, value: Number(a.replace("%", "")) };
}
function toMetricSpec(m) {
  const point = m.type === "gauge" || m.type === "query";
  const spec = {
    name: m.name,
    type: m.type,
    critical: m.critical,
    minSamples: m.minSamples ?? (point ? 1 : DEFAULT_MIN_SAMPLES)
  };
  if ("min" in m && m.min !== void 0) spec.min = m.min;
  if ("max" in m && m.max !== void 0) spec.max = m.max;
  if ("maxIncrease" in m && m.maxIncrease !== void 0)
    spec.maxIncrease = toTolerance(m.maxIncrease);
  if ("maxDecrease" in m && m.maxDecrease !== void 0)
    spec.maxDecrease = toTolerance(m.maxDecrease);
  if (m.type === "histogram") spec.quantile = m.quantile;
  if ("weight" in m && m.weight !== void 0) spec.weight = m.weight;
  if (m.type === "distribution" && m.maxShift !== void 0)
    spec.maxShift = toTolerance(m.maxShift);
  return spec;
}
function judgeSettings(gate) {
  return {
    alpha: gate.alpha,
    minDurationMs: gate.minDuration,
    maxDurationMs: gate.maxDuration,
    metrics: gate.metrics.map(toMetricSpec),
    ...gate.stableMargin === void 0 ? {} : { stableMargin: Math.log1p(Number(gate.stableMargin.replace("%", "")) / 100) }
  };
}

// src/gate/load.ts
import { readFileSync } from "node:fs";
function readRequests(file, labelled) {
  const lines = readFileSync(file, "utf8").split("\n");
  const bodies = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let value;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new Error(
        `${file}:${i + 1}: not JSON (${e instanceof Error ? e.message : String(e)})`,
        { cause: e }
      );
    }
    if (typeof value !== "object" || value === null || Array.isArray(value))
      throw new Error(`${file}:${i + 1}: expected a JSON object`);
    if (!labelled) delete value.label;
    bodies.push(JSON.stringify(value));
  });
  if (bodies.length === 0) throw new Error(`${file}: no requests`);
  return bodies;
}
var defaultPost = async (url, body) => {
  const res = await fetch(url, {
    method: "POST",
    body,
    headers: { "content-type": "application/json" },
    signal: AbortSignal.timeout(1e4)
  });
  await res.arrayBuffer();
  return res.status;
};
function startLoad(options) {
  const bodies = readRequests(options.file, options.labelled);
  const post = options.post ?? defaultPost;
  const maxInFlight = options.maxInFlight ?? 64;
  const stats = { sent: 0, ok: 0, failed: 0, skipped: 0 };
  const inFlight = /* @__PURE__ */ new Set();
  let next = 0;
  const started = Date.now();
  const tick = () => {
    const due = Math.floor((Date.now() - started) / 1e3 * options.rps);
    while (stats.sent + stats.skipped < due) {
      if (inFlight.size >= maxInFlight) {
        stats.skipped++;
        continue;
      }
      const body = bodies[next++ % bodies.length];
      stats.sent++;
      const p = post(options.url, body).then(
        (status2) => void (status2 < 500 ? stats.ok++ : stats.failed++),
        () => void stats.failed++
      );
      const tracked = p.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
    }
  };
  const timer = setInterval(tick, Math.max(5, Math.min(100, 1e3 / options.rps)));
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all(inFlight);
      return { ...stats };
    }
  };
}

// src/gate/report.ts
var signed = (x) => Number.isFinite(x) ? `${x >= 0 ? "+" : ""}${formatNumber(Math.round(x * 1e3) / 10)}%` : x > 0 ? "+\u221E" : "\u2212\u221E";
function formatEffect(m) {
  const e = m.effect;
  if (!e) return "\u2014";
  const estimate = Number.isNaN(e.estimate) ? "\u2014" : signed(e.estimate);
  return `${estimate} [${signed(e.lower)}, ${signed(e.upper)}]`;
}
function statusCell(m) {
  return `${STATUS_EMOJI[m.status] ?? ""} ${m.status}${m.reason ? ` (${m.reason})` : ""}`.trim();
}
function certificates(metrics) {
  return metrics.map((m) => `- **${m.name}**: ${certifiedParts(m).join(". ")}.`).join("\n");
}
function gateSummary(decision, extra) {
  const rows = decision.metrics.map((m) => [
    `${m.name}${m.critical ? " (critical)" : ""}`,
    formatNumber(m.canary),
    formatNumber(m.baseline),
    formatEffect(m),
    m.confidence === void 0 ? "\u2014" : `${formatNumber(Math.round(m.confidence * 1e4) / 100)}%`,
    `${m.samples.canary} / ${m.samples.baseline}`,
    statusCell(m)
  ]);
  const table = markdownTable(
    ["metric", "canary", "baseline", "effect [interval]", "confidence", "samples c / b", "status"],
    rows
  );
  const at = extra.step === void 0 ? "" : ` at step **${extra.step}%**`;
  const verdict = `${STATUS_EMOJI[decision.verdict] ?? ""} **${decision.verdict}** (\`${decision.reason}\`)${at} after ${extra.looks} look(s) from ${extra.source}: ${decision.message}. Next: ${extra.next}.${stepsLine(extra.steps)}`;
  return `${table}

${verdict}

${certificates(decision.metrics)}`;
}
function stepsLine(steps) {
  if (!steps) return "";
  const ramp = steps.map((p) => `${formatNumber(p)}%`).join(" \u2192 ");
  return `

Steps ${ramp} (canary and baseline each): the evidence of every step counts toward the verdict.`;
}

// src/analysis/metric-point.ts
var POINT_NOTE = "a point check at every look: no error control (a noisy value can fail by chance, and a pass certifies only the values read)";
function initialPoint(spec, alpha) {
  const type = spec.type === "query" ? "query" : "gauge";
  return { spec, alpha, type, canary: { looks: 0 }, baseline: { looks: 0 }, note: POINT_NOTE };
}
function updatePoint(prev, c, b) {
  const next = (t, s) => s?.kind === "value" ? { value: s.value, looks: t.looks + 1 } : t;
  return { ...prev, canary: next(prev.canary, c), baseline: next(prev.baseline, b) };
}
function formatTolerance(t) {
  return t.percent ? `${t.value}%` : String(t.value);
}
function pointViolation(state) {
  const { spec } = state;
  const c = state.canary.value;
  const b = state.baseline.value;
  if (c === void 0) return void 0;
  if (spec.max !== void 0 && c > spec.max)
    return { reason: "threshold_exceeded", message: `${spec.name} ${c} > max ${spec.max}` };
  if (spec.min !== void 0 && c < spec.min)
    return { reason: "threshold_exceeded", message: `${spec.name} ${c} < min ${spec.min}` };
  if (b === void 0) return void 0;
  const limit = (t) => t.percent ? Math.abs(b) * t.value / 100 : t.value;
  if (spec.maxIncrease && c - b > limit(spec.maxIncrease)) {
    return {
      reason: "canary_worse_than_baseline",
      message: `${spec.name} ${c} exceeds baseline ${b} by more than ${formatTolerance(spec.maxIncrease)}`
    };
  }
  if (spec.maxDecrease && b - c > limit(spec.maxDecrease)) {
    return {
      reason: "canary_worse_than_baseline",
      message: `${spec.name} ${c} is below baseline ${b} by more than ${formatTolerance(spec.maxDecrease)}`
    };
  }
  return void 0;
}

// src/analysis/histogram.ts
function addBuckets(a, b) {
  if (a.length === 0) return b.map((x) => ({ ...x }));
  if (b.length === 0) return a.map((x) => ({ ...x }));
  const les = [.../* @__PURE__ */ new Set([...a.map((x) => x.le), ...b.map((x) => x.le)])].sort((x, y) => x - y);
  return les.map((le) => ({ le, count: countAtOrBelow(a, le) + countAtOrBelow(b, le) }));
}
function countAtOrBelow(buckets, le) {
  let count = 0;
  for (const b of buckets) {
    if (b.le <= le) count = b.count;
    else break;
  }
  return count;
}
function totalCount(buckets) {
  return buckets.length ? buckets[buckets.length - 1].count : 0;
}
function bucketQuantile(buckets, q) {
  const total = totalCount(buckets);
  if (!(total > 0)) return void 0;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const b of buckets) {
    if (b.count >= rank) {
      if (!Number.isFinite(b.le)) return prevLe;
      if (b.count === prevCount) return b.le;
      return prevLe + (b.le - prevLe) * (rank - prevCount) / (b.count - prevCount);
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return prevLe;
}
function countAbove(buckets, x) {
  const total = totalCount(buckets);
  let prevLe = 0;
  let prevCount = 0;
  for (const b of buckets) {
    if (!Number.isFinite(b.le)) break;
    if (x < b.le) {
      const share = x <= prevLe ? 0 : (x - prevLe) / (b.le - prevLe);
      return total - prevCount - share * (b.count - prevCount);
    }
    prevLe = b.le;
    prevCount = b.count;
  }
  return total - prevCount;
}
function bucketAround(buckets, x) {
  let lower = 0;
  for (const b of buckets) {
    if (!Number.isFinite(b.le)) break;
    if (x <= b.le) return { lower, upper: b.le };
    lower = b.le;
  }
  return { lower };
}
function largestFiniteBound(buckets) {
  return buckets.filter((b) => Number.isFinite(b.le)).at(-1)?.le;
}

// src/analysis/shift-e-process.ts
var MIXTURE_SHIFTS = [0.04, 0.08, 0.15, 0.3, 0.6, 1.2, 2.4];
var MIXTURE_WEIGHTS = [1 / 7, 1 / 7, 1 / 7, 1 / 7, 1 / 7, 1 / 7, 1 / 7];
var GRID_STEP = 0.05;
var GRID_MIN = -6;
var GRID_SIZE = 241;
function emptyShiftState() {
  return { looks: [], grid: new Array(GRID_SIZE).fill(0), bad: 0, trials: 0 };
}
function softplus(x) {
  return x > 30 ? x : Math.log1p(Math.exp(x));
}
function lookLogLik(look, theta) {
  const x = theta + look.offset;
  return look.bad * x - look.trials * softplus(x);
}
function addLook(state, look) {
  if (!(look.trials > 0) || !Number.isFinite(look.offset)) return state;
  const grid = state.grid.map((v, i) => v + lookLogLik(look, GRID_MIN + i * GRID_STEP));
  return {
    looks: [...state.looks, look],
    grid,
    bad: state.bad + look.bad,
    trials: state.trials + look.trials
  };
}
function logLikelihood(state, theta) {
  let sum = 0;
  for (const look of state.looks) sum += lookLogLik(look, theta);
  return sum;
}
function logMixture(state, theta0, sign) {
  if (state.looks.length === 0) return 0;
  const base = logLikelihood(state, theta0);
  const terms = MIXTURE_SHIFTS.map(
    (d, j) => Math.log(MIXTURE_WEIGHTS[j]) + logLikelihood(state, theta0 + sign * d) - base
  );
  const top = Math.max(...terms);
  return top + Math.log(terms.reduce((s, t) => s + Math.exp(t - top), 0));
}
function logEvidenceAbove(state, theta0) {
  return logMixture(state, theta0, 1);
}
function logEvidenceBelow(state, theta0) {
  return logMixture(state, theta0, -1);
}
function gridMixture(state, g, sign) {
  const base = state.grid[g];
  let sum = 0;
  MIXTURE_SHIFTS.forEach((d, j) => {
    const h = g + sign * Math.round(d / GRID_STEP);
    if (h >= 0 && h < GRID_SIZE)
      sum += MIXTURE_WEIGHTS[j] * Math.exp(state.grid[h] - base);
  });
  return sum;
}
function confidenceSequence(state, alpha) {
  if (state.looks.length === 0) return { lower: -Infinity, upper: Infinity };
  const limit = 2 / alpha;
  let best = 0;
  for (let g = 1; g < GRID_SIZE; g++)
    if (state.grid[g] > state.grid[best]) best = g;
  let lo = best;
  while (lo > 0 && gridMixture(state, lo - 1, 1) < limit) lo--;
  let hi = best;
  while (hi < GRID_SIZE - 1 && gridMixture(state, hi + 1, -1) < limit) hi++;
  return {
    lower: lo === 0 ? -Infinity : GRID_MIN + lo * GRID_STEP,
    upper: hi === GRID_SIZE - 1 ? Infinity : GRID_MIN + hi * GRID_STEP
  };
}
function estimateTheta(state) {
  let lo = GRID_MIN;
  let hi = -GRID_MIN;
  const score = (theta) => state.looks.reduce((s, l) => s + l.bad - l.trials / (1 + Math.exp(-(theta + l.offset))), 0);
  if (score(lo) <= 0) return lo;
  if (score(hi) >= 0) return hi;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (score(mid) > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
function oneSidedBound(state, alpha, side) {
  const limit = Math.log(1 / alpha);
  const rejects = (theta) => side === "upper" ? logEvidenceBelow(state, theta) >= limit : logEvidenceAbove(state, theta) >= limit;
  const far = side === "upper" ? -GRID_MIN : GRID_MIN;
  if (state.looks.length === 0 || !rejects(far)) return side === "upper" ? Infinity : -Infinity;
  let inside = far;
  let outside = estimateTheta(state);
  if (rejects(outside)) return outside;
  for (let i = 0; i < 40; i++) {
    const mid = (inside + outside) / 2;
    if (rejects(mid)) inside = mid;
    else outside = mid;
  }
  return inside;
}

// src/analysis/binomial.ts
function logGamma(x) {
  const c = [
    0.9999999999998099,
    676.5203681218851,
    -1259.1392167224028,
    771.3234287776531,
    -176.6150291621406,
    12.507343278686905,
    -0.13857109526572012,
    9984369578019572e-21,
    15056327351493116e-23
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}
function binomialPmf(n, p) {
  if (n <= 0 || p <= 0) return { from: 0, probs: Float64Array.of(1) };
  if (p >= 1) return { from: n, probs: Float64Array.of(1) };
  const sd = Math.sqrt(n * p * (1 - p));
  const lo = Math.max(0, Math.floor(n * p - 9 * sd - 8));
  const hi = Math.min(n, Math.ceil(n * p + 9 * sd + 8));
  const probs = new Float64Array(hi - lo + 1);
  const logOdds = Math.log(p) - Math.log1p(-p);
  let logP = logGamma(n + 1) - logGamma(lo + 1) - logGamma(n - lo + 1) + lo * Math.log(p) + (n - lo) * Math.log1p(-p);
  for (let k = lo; k <= hi; k++) {
    probs[k - lo] = Math.exp(logP);
    logP += Math.log((n - k) / (k + 1)) + logOdds;
  }
  return { from: lo, probs };
}

// src/analysis/spending.ts
var SPENDING_POWER = 0.25;
var NEGLIGIBLE = 1e-15;
function emptySpending() {
  return { from: 0, mass: [1], spent: 0 };
}
function spendingTarget(alpha, t) {
  return alpha * Math.min(1, Math.max(0, t)) ** SPENDING_POWER;
}
function spendLook(state, look) {
  if (!(look.trials > 0)) return { state, boundary: Infinity };
  const pmf = binomialPmf(look.trials, look.p);
  const size = state.mass.length + pmf.probs.length - 1;
  const next = new Float64Array(size);
  state.mass.forEach((a, i) => {
    if (a === 0) return;
    for (let j = 0; j < pmf.probs.length; j++)
      next[i + j] = next[i + j] + a * pmf.probs[j];
  });
  let spent = state.spent;
  let lo = 0;
  let dropped = 0;
  while (lo < size - 1 && dropped + next[lo] < NEGLIGIBLE)
    dropped += next[lo++];
  spent += dropped;
  const allowance = look.target - spent;
  let hi = size;
  let tail = 0;
  while (hi > lo && tail + next[hi - 1] <= allowance) tail += next[--hi];
  const from = state.from + pmf.from;
  return {
    state: { from: from + lo, mass: Array.from(next.subarray(lo, hi)), spent: spent + tail },
    boundary: hi === size ? Infinity : from + hi
  };
}

// src/analysis/sub-test.ts
function newSubTest(o) {
  return { ...o, data: emptyShiftState(), spending: emptySpending() };
}
var sigmoid = (x) => 1 / (1 + Math.exp(-x));
function addSubTestLook(test, look, ctx, failLook) {
  if (!(look.trials > 0) || !Number.isFinite(look.offset)) return test;
  const data = addLook(test.data, look);
  if (test.failedAt !== void 0) return { ...test, data };
  const up = test.worse === "above";
  const fail = up && failLook && failLook.bad === look.bad ? failLook : void 0;
  const edge = test.theta0 + (fail ? fail.offset + fail.shift : look.offset);
  const p = sigmoid(up ? edge : -edge);
  const spent = spendLook(test.spending, {
    trials: fail ? fail.trials : look.trials,
    p,
    target: spendingTarget(test.alpha, ctx.t)
  });
  const count = up ? data.bad : data.trials - data.bad;
  return {
    ...test,
    data,
    spending: spent.state,
    failedAt: count >= spent.boundary ? ctx.look : void 0
  };
}
function logEvidenceWorse(test) {
  return test.worse === "above" ? logEvidenceAbove(test.data, test.theta0) : logEvidenceBelow(test.data, test.theta0);
}
function shownInside(test, alpha) {
  const e = test.worse === "above" ? logEvidenceBelow(test.data, test.theta0) : logEvidenceAbove(test.data, test.theta0);
  return test.data.looks.length > 0 && e >= Math.log(1 / alpha);
}
function supportedTheta(test, alpha) {
  return oneSidedBound(test.data, alpha, test.worse === "above" ? "upper" : "lower");
}
function moreTraffic(test, alpha) {
  if (test.data.looks.length === 0) return void 0;
  const estimate = estimateTheta(test.data);
  const bound = supportedTheta(test, alpha);
  const sign = test.worse === "above" ? 1 : -1;
  const room = sign * (test.theta0 - estimate);
  const width = sign * (bound - estimate);
  if (!(room > 0) || !Number.isFinite(width)) return void 0;
  return Math.max(1, (width / room) ** 2);
}

// src/analysis/metric-common.ts
var emptyCounts = () => ({ numerator: 0, denominator: 0, looks: 0 });
var emptyBucketTotals = () => ({
  buckets: [],
  sum: 0,
  hasSum: false,
  looks: 0
});
var addCounts = (t, s) => ({
  numerator: t.numerator + s.numerator,
  denominator: t.denominator + s.denominator,
  looks: t.looks + 1
});
var addBucketSample = (t, s) => ({
  buckets: addBuckets(t.buckets, s.buckets),
  sum: t.sum + (s.sum ?? 0),
  hasSum: t.hasSum || s.sum !== void 0,
  looks: t.looks + 1
});
var asCounts = (s) => s?.kind === "counts" ? s : void 0;
var asBuckets = (s) => s?.kind === "buckets" ? s : void 0;
var fmt = (x) => Number.isFinite(x) ? String(Number(x.toPrecision(3))) : x > 0 ? "\u221E" : "\u2212\u221E";
var sigmoid2 = (x) => 1 / (1 + Math.exp(-x));
var logit = (p) => Math.log(p / (1 - p));
function claimOf(test, { alpha, detail }, text) {
  const shown = shownInside(test, alpha);
  if (!detail) return { claim: text.claim, required: test.required, shown, supported: "" };
  const theta = supportedTheta(test, alpha);
  const more = shown ? void 0 : moreTraffic(test, alpha);
  return {
    claim: text.claim,
    required: test.required,
    shown,
    supported: Number.isFinite(theta) ? text.supported(theta) : "nothing yet",
    ...more === void 0 ? {} : { moreTraffic: Number(more.toPrecision(2)) }
  };
}
function relativeEffect(test, level, o) {
  if (test.data.looks.length === 0) return void 0;
  const ci = confidenceSequence(test.data, level);
  const estimate = o.canaryRate !== void 0 && o.baselineRate !== void 0 ? o.baselineRate > 0 ? o.canaryRate / o.baselineRate - 1 : NaN : Math.expm1(estimateTheta(test.data));
  return {
    measure: o.measure,
    estimate,
    lower: Math.expm1(ci.lower),
    upper: Math.expm1(ci.upper)
  };
}
var whole = (x) => Math.max(0, Math.round(x));
function addBucketLook(prev, o) {
  const canary = asBuckets(o.canary);
  const baseline = asBuckets(o.baseline);
  const state = {
    ...prev,
    canary: canary ? addBucketSample(prev.canary, canary) : prev.canary,
    baseline: baseline ? addBucketSample(prev.baseline, baseline) : prev.baseline
  };
  if (!canary || !baseline) return { state };
  const nC = totalCount(canary.buckets);
  const nB = totalCount(baseline.buckets);
  if (!(nC > 0 && nB > 0)) return { state };
  const reference = totalCount(prev.baseline.buckets) > 0 ? bucketQuantile(prev.baseline.buckets, o.quantile) : bucketQuantile(addBuckets(canary.buckets, baseline.buckets), o.quantile);
  return { state, look: { canary, baseline, nC, nB, reference } };
}

// src/analysis/metric-distribution.ts
function initialDistribution(spec, alpha) {
  const s = spec.maxShift;
  const shift = s ? Math.log1p(s.percent ? s.value / 100 : s.value) : 0;
  const side = (worse) => newSubTest({
    kind: "relative",
    worse,
    theta0: worse === "above" ? shift : -shift,
    required: shift > 0,
    alpha: alpha / 2
  });
  return {
    spec,
    alpha,
    type: "distribution",
    canary: emptyBucketTotals(),
    baseline: emptyBucketTotals(),
    up: side("above"),
    down: side("below")
  };
}
function updateDistribution(prev, canary, baseline, ctx) {
  const { state, look } = addBucketLook(prev, { canary, baseline, quantile: 0.5 });
  if (!look || look.reference === void 0) return state;
  const aboveC = whole(countAbove(look.canary.buckets, look.reference));
  const aboveB = whole(countAbove(look.baseline.buckets, look.reference));
  const counts = { bad: aboveC, trials: aboveC + aboveB, offset: Math.log(look.nC / look.nB) };
  state.up = addSubTestLook(prev.up, counts, ctx);
  state.down = addSubTestLook(prev.down, counts, ctx);
  return state;
}
var distributionSubTests = (s) => [s.up, s.down];
function distributionDisplay(t) {
  const n = totalCount(t.buckets);
  return t.hasSum && n > 0 ? t.sum / n : bucketQuantile(t.buckets, 0.5);
}
function distributionClaims(s, alpha, detail = true) {
  const name = s.spec.name;
  const f = Math.exp(s.up.theta0);
  const what = "share of canary scores above the baseline's median";
  return [
    claimOf(
      s.up,
      { alpha, detail },
      {
        claim: `${name}: ${what} \u2264 ${fmt(f)} \xD7 the baseline's`,
        supported: (th) => `${what} \u2264 ${fmt(Math.exp(th))} \xD7 the baseline's`
      }
    ),
    claimOf(
      s.down,
      { alpha, detail },
      {
        claim: `${name}: ${what} \u2265 ${fmt(1 / f)} \xD7 the baseline's`,
        supported: (th) => `${what} \u2265 ${fmt(Math.exp(th))} \xD7 the baseline's`
      }
    )
  ];
}
function distributionEffect(s, level) {
  return relativeEffect(s.up, level, {
    measure: "share of scores above the baseline's median, canary / baseline \u2212 1"
  });
}

// src/analysis/metric-histogram.ts
function initialHistogram(spec, alpha) {
  const tol = spec.maxIncrease;
  const share = alpha / (spec.max === void 0 ? 1 : 2);
  return {
    spec,
    alpha,
    type: "histogram",
    quantile: spec.quantile ?? 0.95,
    canary: emptyBucketTotals(),
    baseline: emptyBucketTotals(),
    relative: newSubTest({
      kind: "relative",
      worse: "above",
      theta0: 0,
      required: (tol?.value ?? 0) > 0,
      alpha: share
    }),
    absolute: spec.max === void 0 ? void 0 : newSubTest({
      kind: "absolute",
      worse: "above",
      theta0: 0,
      required: false,
      alpha: share
    })
  };
}
function factorOf(spec, reference) {
  const tol = spec.maxIncrease;
  if (!tol) return 1;
  return tol.percent ? 1 + tol.value / 100 : (reference + tol.value) / reference;
}
function updateHistogram(prev, canary, baseline, ctx) {
  const q = prev.quantile;
  const { state, look } = addBucketLook(prev, { canary, baseline, quantile: q });
  if (!look) return state;
  const { reference, nC, nB } = look;
  if (reference !== void 0 && reference > 0) {
    state.reference = reference;
    const aboveC = whole(
      countAbove(look.canary.buckets, factorOf(prev.spec, reference) * reference)
    );
    const aboveB = whole(countAbove(look.baseline.buckets, reference));
    state.relative = addSubTestLook(
      prev.relative,
      { bad: aboveC, trials: aboveC + aboveB, offset: Math.log(nC / nB) },
      ctx
    );
  }
  const max = prev.spec.max;
  if (prev.absolute && max !== void 0) {
    const largest = largestFiniteBound(look.canary.buckets);
    if (largest === void 0 || max > largest) {
      state.note = `max ${max} is beyond the largest finite bucket bound (${largest ?? "none"}): it cannot be tested`;
    } else {
      state.absolute = addSubTestLook(
        prev.absolute,
        { bad: whole(countAbove(look.canary.buckets, max)), trials: nC, offset: logit(1 - q) },
        ctx
      );
    }
  }
  return state;
}
var histogramSubTests = (s) => [
  s.relative,
  ...s.absolute ? [s.absolute] : []
];
var histogramDisplay = (s, t) => bucketQuantile(t.buckets, s.quantile);
var pName = (q) => `p${fmt(q * 100)}`;
function histogramClaims(s, alpha, detail = true) {
  const p = pName(s.quantile);
  const tail = 1 - s.quantile;
  const tol = s.spec.maxIncrease;
  const share = (th) => `${fmt(100 * Math.min(1, tail * Math.exp(th)))}%`;
  const claims = [
    claimOf(
      s.relative,
      { alpha, detail },
      {
        claim: !tol || tol.value === 0 ? `canary ${p} \u2264 baseline ${p}` : tol.percent ? `canary ${p} \u2264 ${fmt(1 + tol.value / 100)} \xD7 baseline ${p}` : `canary ${p} \u2264 baseline ${p} + ${tol.value}`,
        supported: (th) => `share of canary requests above that limit \u2264 ${share(th)} (a pass needs < ${fmt(100 * tail)}%)`
      }
    )
  ];
  const abs = s.absolute;
  const max = s.spec.max;
  if (abs && max !== void 0) {
    claims.push(
      claimOf(
        abs,
        { alpha, detail },
        {
          claim: `canary ${p} \u2264 ${max}`,
          supported: (th) => `share of canary requests above ${max} \u2264 ${fmt(100 * sigmoid2(logit(tail) + th))}% (a pass needs < ${fmt(100 * tail)}%)`
        }
      )
    );
  }
  return claims;
}
function histogramResolution(s) {
  const value = bucketQuantile(s.baseline.buckets, s.quantile);
  if (value === void 0) return void 0;
  return { quantile: s.quantile, value, ...bucketAround(s.baseline.buckets, value) };
}
function histogramEffect(s, level) {
  const p = pName(s.quantile);
  return relativeEffect(s.relative, level, {
    measure: `canary's share above (1 + tolerance) \xD7 baseline ${p} / baseline's share above its ${p} \u2212 1`
  });
}

// src/analysis/stable-reference.ts
var GUARD_Z = -0.5;
function stableAgrees(t, margin) {
  if (!(t.baselineN > 0 && t.stableN > 0)) return false;
  const b = t.baselineBad + 0.5;
  const s = t.stableBad + 0.5;
  const logRatio = Math.log(b / t.baselineN) - Math.log(s / t.stableN);
  const se = Math.sqrt(1 / b + 1 / s);
  return logRatio - margin <= GUARD_Z * se;
}
function pooledLook(o) {
  const reference = o.baselineN + o.stableN;
  return {
    bad: o.canaryBad,
    trials: o.canaryBad + o.baselineBad + o.stableBad,
    offset: Math.log(o.canaryN / reference),
    shift: Math.log(reference / (o.baselineN + o.stableN * Math.exp(-o.margin)))
  };
}
var POOLED_SHARE = 0.8;
var newPooled = (test) => ({ test, pooledLooks: 0, vetoes: 0 });
function updatePooled(p, o) {
  const { canary, baseline, stable } = o;
  const failLook = stable && stable.n > 0 ? pooledLook({
    margin: o.margin,
    canaryBad: canary.bad,
    canaryN: canary.n,
    baselineBad: baseline.bad,
    baselineN: baseline.n,
    stableBad: stable.bad,
    stableN: stable.n
  }) : void 0;
  let test = addSubTestLook(
    { ...p.test, theta0: o.theta0 },
    { bad: canary.bad, trials: canary.bad + baseline.bad, offset: Math.log(canary.n / baseline.n) },
    o.ctx,
    failLook
  );
  let vetoes = p.vetoes;
  const crossed = p.test.failedAt === void 0 && test.failedAt !== void 0;
  if (crossed && o.totals.stableN > 0 && !stableAgrees(o.totals, o.margin)) {
    test = { ...test, failedAt: void 0 };
    vetoes++;
  }
  return {
    test,
    pooledLooks: p.pooledLooks + (failLook && p.test.failedAt === void 0 ? 1 : 0),
    vetoes
  };
}

// src/analysis/metric-ratio.ts
function sideNames(spec) {
  const up = spec.max !== void 0 || spec.maxIncrease !== void 0;
  const down = spec.min !== void 0 || spec.maxDecrease !== void 0;
  return [...up || !down ? ["numerator"] : [], ...down ? ["misses"] : []];
}
var toleranceOf = (spec, bad) => bad === "numerator" ? spec.maxIncrease : spec.maxDecrease;
var boundOf = (spec, bad) => bad === "numerator" ? spec.max : spec.min === void 0 ? void 0 : 1 - spec.min;
function initialRatio(spec, alpha, stableMargin) {
  const names = sideNames(spec);
  const bounded = names.filter((b) => {
    const bound = boundOf(spec, b);
    return bound !== void 0 && bound > 0 && bound < 1;
  });
  const share = alpha / (names.length + bounded.length);
  const sides = names.map((bad) => {
    const tol = toleranceOf(spec, bad);
    const bound = boundOf(spec, bad);
    const relative = {
      kind: "relative",
      worse: "above",
      theta0: tol?.percent && bad === "numerator" ? Math.log1p(tol.value / 100) : 0,
      required: (tol?.value ?? 0) > 0
    };
    const pooledShare = stableMargin === void 0 ? 0 : POOLED_SHARE;
    return {
      bad,
      relative: newSubTest({ ...relative, alpha: share * (1 - pooledShare) }),
      ...stableMargin === void 0 ? {} : { pooled: newPooled(newSubTest({ ...relative, alpha: share * pooledShare })) },
      absolute: bound !== void 0 && bounded.includes(bad) ? {
        bound,
        test: newSubTest({
          kind: "absolute",
          worse: "above",
          theta0: 0,
          required: false,
          alpha: share
        })
      } : void 0
    };
  });
  return {
    spec,
    alpha,
    type: "ratio",
    canary: emptyCounts(),
    baseline: emptyCounts(),
    stable: emptyCounts(),
    sides
  };
}
var badOf = (t, bad) => bad === "numerator" ? t.numerator : t.denominator - t.numerator;
var smoothedRate = (bad, n) => (bad + 0.5) / (n + 1);
function relativeTheta(tol, bad, base) {
  if (!tol || tol.value === 0) return 0;
  const rate = smoothedRate(badOf(base, bad), base.denominator);
  if (bad === "numerator")
    return tol.percent ? Math.log1p(tol.value / 100) : Math.log1p(tol.value / rate);
  const drop = tol.percent ? tol.value / 100 * (1 - rate) : tol.value;
  return Math.log1p(drop / rate);
}
function updateRatio(prev, c, b, ctx, st) {
  const canary = asCounts(c);
  const baseline = asCounts(b);
  const stable = asCounts(st);
  const state = {
    ...prev,
    canary: canary ? addCounts(prev.canary, canary) : prev.canary,
    baseline: baseline ? addCounts(prev.baseline, baseline) : prev.baseline,
    stable: stable ? addCounts(prev.stable, stable) : prev.stable
  };
  if (!canary || !baseline || !(canary.denominator > 0)) return state;
  const reference = prev.baseline.denominator > 0 ? prev.baseline : state.baseline;
  state.sides = prev.sides.map((side) => {
    const badC = badOf(canary, side.bad);
    const badB = badOf(baseline, side.bad);
    const relative = {
      ...side.relative,
      theta0: relativeTheta(toleranceOf(prev.spec, side.bad), side.bad, reference)
    };
    const track = (bad, n) => ({ bad, n });
    return {
      ...side,
      pooled: side.pooled && baseline.denominator > 0 && ctx.stableMargin !== void 0 ? updatePooled(side.pooled, {
        margin: ctx.stableMargin,
        theta0: relative.theta0,
        ctx,
        canary: track(badC, canary.denominator),
        baseline: track(badB, baseline.denominator),
        stable: stable && track(badOf(stable, side.bad), stable.denominator),
        totals: {
          baselineBad: badOf(state.baseline, side.bad),
          baselineN: state.baseline.denominator,
          stableBad: badOf(state.stable, side.bad),
          stableN: state.stable.denominator
        }
      }) : side.pooled,
      relative: baseline.denominator > 0 ? addSubTestLook(
        relative,
        {
          bad: badC,
          trials: badC + badB,
          offset: Math.log(canary.denominator / baseline.denominator)
        },
        ctx
      ) : relative,
      absolute: side.absolute && {
        bound: side.absolute.bound,
        test: addSubTestLook(
          side.absolute.test,
          { bad: badC, trials: canary.denominator, offset: logit(side.absolute.bound) },
          ctx
        )
      }
    };
  });
  return state;
}
var ratioSubTests = (s) => s.sides.flatMap((side) => [
  side.relative,
  ...side.pooled ? [side.pooled.test] : [],
  ...side.absolute ? [side.absolute.test] : []
]);
function ratioDisplay(t) {
  return t.denominator > 0 ? t.numerator / t.denominator : void 0;
}
function relativeClaim(s, side, alpha, detail) {
  const name = s.spec.name;
  const tol = toleranceOf(s.spec, side.bad);
  const base = ratioDisplay(s.baseline) ?? 0;
  if (side.bad === "numerator") {
    const claim2 = !tol || tol.value === 0 ? `${name} no higher than the baseline's` : tol.percent ? `${name} \u2264 ${fmt(1 + tol.value / 100)} \xD7 baseline` : `${name} \u2264 baseline + ${tol.value}`;
    return claimOf(
      side.relative,
      { alpha, detail },
      {
        claim: claim2,
        supported: (th) => `${name} \u2264 ${fmt(Math.exp(th))} \xD7 baseline`
      }
    );
  }
  const claim = !tol || tol.value === 0 ? `${name} no lower than the baseline's` : tol.percent ? `${name} \u2265 baseline \u2212 ${tol.value}%` : `${name} \u2265 baseline \u2212 ${tol.value}`;
  return claimOf(
    side.relative,
    { alpha, detail },
    {
      claim,
      supported: (th) => `${name} \u2265 baseline \u2212 ${fmt(Math.expm1(th) * (1 - base))} (misses \u2264 ${fmt(Math.exp(th))} \xD7 baseline's)`
    }
  );
}
var RARE_BAD_EVENTS = 10;
function ratioClaims(s, alpha, detail = true) {
  const name = s.spec.name;
  return s.sides.flatMap((side) => {
    const relative = relativeClaim(s, side, alpha, detail);
    const baselineBad = badOf(s.baseline, side.bad);
    const rare = relative.required && side.absolute && baselineBad < RARE_BAD_EVENTS;
    const out = [
      rare ? {
        ...relative,
        required: false,
        notAssessable: true,
        claim: `${relative.claim} (not assessable: the baseline had ${baselineBad} bad events; the absolute bound stands in)`
      } : relative
    ];
    const abs = side.absolute;
    if (abs) {
      const up = side.bad === "numerator";
      out.push(
        claimOf(
          abs.test,
          { alpha, detail },
          {
            claim: up ? `${name} \u2264 ${abs.bound}` : `${name} \u2265 ${fmt(1 - abs.bound)}`,
            supported: (th) => {
              const p = sigmoid2(logit(abs.bound) + th);
              return up ? `${name} \u2264 ${fmt(p)}` : `${name} \u2265 ${fmt(1 - p)}`;
            }
          }
        )
      );
      if (rare) out[1] = { ...out[1], required: true };
    }
    return out;
  });
}
function ratioEffect(s, level) {
  const side = s.sides[0];
  if (!side) return void 0;
  const rate = (t) => t.denominator > 0 ? badOf(t, side.bad) / t.denominator : void 0;
  return relativeEffect(side.relative, level, {
    measure: side.bad === "numerator" ? "rate, canary / baseline \u2212 1" : "1 \u2212 rate, canary / baseline \u2212 1",
    canaryRate: rate(s.canary),
    baselineRate: rate(s.baseline)
  });
}

// src/analysis/metric-state.ts
var isStatistical = (s) => s.type !== "gauge" && s.type !== "query";
function initialMetricState(spec, alpha, stableMargin) {
  switch (spec.type) {
    case "ratio":
      return initialRatio(spec, alpha, stableMargin);
    case "histogram":
      return initialHistogram(spec, alpha);
    case "distribution":
      return initialDistribution(spec, alpha);
    default:
      return initialPoint(spec, alpha);
  }
}
function updateMetric(state, canary, baseline, ctx, stable) {
  switch (state.type) {
    case "ratio":
      return updateRatio(state, canary, baseline, ctx, stable);
    case "histogram":
      return updateHistogram(state, canary, baseline, ctx);
    case "distribution":
      return updateDistribution(state, canary, baseline, ctx);
    default:
      return updatePoint(state, canary, baseline);
  }
}
function subTestsOf(state) {
  switch (state.type) {
    case "ratio":
      return ratioSubTests(state);
    case "histogram":
      return histogramSubTests(state);
    case "distribution":
      return distributionSubTests(state);
    default:
      return [];
  }
}
function sampleCount(state) {
  switch (state.type) {
    case "ratio":
      return { canary: state.canary.denominator, baseline: state.baseline.denominator };
    case "histogram":
    case "distribution":
      return {
        canary: totalCount(state.canary.buckets),
        baseline: totalCount(state.baseline.buckets)
      };
    default:
      return { canary: state.canary.looks, baseline: state.baseline.looks };
  }
}
function displayValue(state, track) {
  switch (state.type) {
    case "ratio":
      return ratioDisplay(state[track]);
    case "histogram":
      return histogramDisplay(state, state[track]);
    case "distribution":
      return distributionDisplay(state[track]);
    default:
      return state[track].value;
  }
}
function claimsOf(state, alpha, detail = true) {
  switch (state.type) {
    case "ratio":
      return ratioClaims(state, alpha, detail);
    case "histogram":
      return histogramClaims(state, alpha, detail);
    case "distribution":
      return distributionClaims(state, alpha, detail);
    default:
      return [];
  }
}
function effectOf(state, level) {
  switch (state.type) {
    case "ratio":
      return ratioEffect(state, level);
    case "histogram":
      return histogramEffect(state, level);
    case "distribution":
      return distributionEffect(state, level);
    default:
      return void 0;
  }
}

// src/analysis/judge.ts
var weightOf = (m) => m.weight ?? (m.critical ? 3 : 1);
function initialJudgeState(settings) {
  const statistical = settings.metrics.filter((m) => m.type !== "gauge" && m.type !== "query");
  const total = statistical.reduce((s, m) => s + weightOf(m), 0);
  return {
    look: 0,
    metrics: settings.metrics.map(
      (m) => initialMetricState(
        m,
        total > 0 ? settings.alpha * weightOf(m) / total : settings.alpha,
        settings.stableMargin
      )
    ),
    looksWithData: 0,
    unreachableLooks: 0,
    noDataLooks: 0
  };
}
function boundsOf(spec) {
  const out = {};
  if (spec.min !== void 0) out.min = spec.min;
  if (spec.max !== void 0) out.max = spec.max;
  if (spec.maxIncrease) out.maxIncrease = formatTolerance(spec.maxIncrease);
  if (spec.maxDecrease) out.maxDecrease = formatTolerance(spec.maxDecrease);
  if (spec.maxShift) out.maxShift = formatTolerance(spec.maxShift);
  if (spec.quantile !== void 0) out.quantile = spec.quantile;
  return out;
}
function statisticalFailure(state, look) {
  const failed = subTestsOf(state).find((t) => t.failedAt !== void 0);
  if (!failed) return void 0;
  const absolute = failed.kind === "absolute";
  const drift = state.type === "distribution";
  const what = absolute ? `beyond its bound (${JSON.stringify(boundsOf(state.spec))})` : drift ? "shifted against the baseline" : "worse than the baseline beyond its tolerance";
  return {
    reason: absolute ? "threshold_exceeded" : drift ? "prediction_drift" : "canary_worse_than_baseline",
    look,
    message: `${state.spec.name} is ${what}: the canary's count crossed the boundary calibrated to the gate's looks at \u03B1 ${failed.alpha.toPrecision(2)}`
  };
}
function checkFailure(state, look) {
  if (state.failure) return state;
  const failure = isStatistical(state) ? statisticalFailure(state, look) : pointFailure(state, look);
  return failure ? { ...state, failure } : state;
}
function pointFailure(state, look) {
  const v = pointViolation(state);
  return v && { ...v, look };
}
function enoughSamples(state) {
  const n = sampleCount(state);
  return Math.min(n.canary, n.baseline) >= state.spec.minSamples;
}
function status(state, claims, final) {
  const samples = sampleCount(state);
  if (state.failure) return "fail";
  if (!(samples.canary > 0 && samples.baseline > 0)) return "no_data";
  const enough = enoughSamples(state);
  const settled = isStatistical(state) ? claims.length > 0 && claims.every((c) => c.shown || c.notAssessable) : pointViolation(state) === void 0 && state.canary.value !== void 0;
  if (settled && enough) return "pass";
  if (!final) return "running";
  if (!enough) return "low_traffic";
  return claims.some((c) => c.required && !c.shown) ? "insufficient_evidence" : "pass";
}
function noteOf(state, claims, st) {
  if (!isStatistical(state) || st !== "pass" || claims.some((c) => c.shown)) return state.note;
  const nothing = "passes on no regression: without a tolerance it certifies nothing";
  return state.note ? `${state.note}; ${nothing}` : nothing;
}
function metricResult(state, alpha, o) {
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
    canary: displayValue(state, "canary"),
    baseline: displayValue(state, "baseline"),
    effect: effectOf(state, alpha),
    confidence: statistical ? 1 - alpha : void 0,
    samples: sampleCount(state),
    logEvidence: tests.length ? Math.max(...tests.map(logEvidenceWorse)) : void 0,
    alphaShare: statistical ? state.alpha : void 0,
    certifiedAt: statistical ? 1 - alpha : void 0,
    claims,
    resolution: state.type === "histogram" ? histogramResolution(state) : void 0,
    bounds: boundsOf(spec),
    note: noteOf(state, claims, st)
  };
}
var percent = (x) => `${Number((100 * x).toPrecision(3))}%`;
function evidenceMessage(results, elapsedMs, alpha) {
  const parts = results.flatMap(
    (r) => r.claims.filter((c) => c.required && !c.shown).map((c) => {
      const more = c.supported === "nothing yet" ? "no data bear on it yet" : c.moreTraffic === void 0 ? "the estimate itself is beyond the tolerance, so more traffic would not settle it as a pass" : `about ${c.moreTraffic}\xD7 the traffic so far (\u2248 ${Math.ceil((c.moreTraffic - 1) * elapsedMs / 6e4)} more minute(s) at this rate) would settle it`;
      return `${r.name}: a pass needs ${c.claim}; the data support ${c.supported} at ${percent(1 - alpha)}; ${more}`;
    })
  );
  return `not enough evidence by maxDuration: ${parts.join(". ")}`;
}
function judge(settings, prev, obs) {
  const look = prev.look + 1;
  const state = { ...prev, look, lastProblem: obs.problem };
  if (obs.samples && !obs.problem) {
    const { canary, baseline, stable } = obs.samples;
    const ctx = {
      look,
      t: obs.elapsedMs / settings.maxDurationMs,
      stableMargin: settings.stableMargin
    };
    state.looksWithData++;
    state.metrics = prev.metrics.map(
      (m) => checkFailure(
        updateMetric(m, canary[m.spec.name], baseline[m.spec.name], ctx, stable?.[m.spec.name]),
        look
      )
    );
  } else if (obs.problem?.kind === "unreachable") state.unreachableLooks++;
  else state.noDataLooks++;
  const final = obs.elapsedMs >= settings.maxDurationMs;
  const afterMin = obs.elapsedMs >= settings.minDurationMs;
  const results = state.metrics.map(
    (m) => metricResult(m, settings.alpha, { final, detail: final })
  );
  const decide = (verdict, reason, message) => ({
    state,
    decision: {
      verdict,
      reason,
      message,
      metrics: verdict === "continue" || final ? results : state.metrics.map((m) => metricResult(m, settings.alpha, { final, detail: true }))
    }
  });
  const failed = state.metrics.filter((m) => m.failure);
  const fatal = failed.find((m) => m.spec.critical) ?? (afterMin || final ? failed[0] : void 0);
  if (fatal?.failure) return decide("fail", fatal.failure.reason, fatal.failure.message);
  const dataNow = !obs.problem && obs.samples !== void 0;
  const settled = results.length > 0 && results.every((r) => r.status === "pass");
  if (afterMin && dataNow && settled && !final) {
    return decide(
      "pass",
      "all_metrics_within_bounds",
      `every metric is shown inside its bounds and tolerances at ${percent(1 - settings.alpha)}`
    );
  }
  if (!final) return decide("continue", "running", `look ${look}: no decision yet`);
  return finalDecision(state, obs, results, settings.alpha, decide);
}
function finalDecision(state, obs, results, alpha, decide) {
  if (state.looksWithData === 0 && state.unreachableLooks > 0) {
    return decide(
      "inconclusive",
      "source_unreachable",
      `the metric source was unreachable at every look: ${obs.problem?.message ?? ""}`.trim()
    );
  }
  if (obs.problem || !obs.samples) {
    const why = obs.problem?.kind === "unreachable" ? "source_unreachable" : "no_data";
    return decide(
      "inconclusive",
      why,
      `no data at the last look (${obs.problem?.message ?? "nothing returned"}); missing evidence never promotes`
    );
  }
  const missing = results.filter((r) => r.status === "no_data");
  if (missing.length)
    return decide(
      "inconclusive",
      "no_data",
      `no data for ${missing.map((r) => r.name).join(", ")}`
    );
  const low = results.filter((r) => r.status === "low_traffic");
  if (low.length) {
    return decide(
      "inconclusive",
      "low_traffic",
      `too few samples for ${low.map((r) => `${r.name} (${Math.min(r.samples.canary, r.samples.baseline)})`).join(", ")}`
    );
  }
  if (results.some((r) => r.status === "insufficient_evidence"))
    return decide(
      "inconclusive",
      "insufficient_evidence",
      evidenceMessage(results, obs.elapsedMs, alpha)
    );
  const claims = results.flatMap((r) => r.claims);
  if (claims.length > 0 && claims.every((c) => c.shown || c.notAssessable))
    return decide(
      "pass",
      "all_metrics_within_bounds",
      `every metric is shown inside its bounds and tolerances at ${percent(1 - alpha)}`
    );
  const open = results.filter((r) => r.claims.some((c) => !c.shown)).map((r) => r.name);
  return decide(
    "pass",
    "no_regression_detected",
    `no metric failed and every tolerance set is shown; ${open.join(", ")} certif${open.length === 1 ? "ies" : "y"} only part of ${open.length === 1 ? "its bounds" : "their bounds"} (no tolerance, or a bound not shown)`
  );
}

// src/metrics/types.ts
var NoDataError = class extends Error {
  constructor(message, track) {
    super(message);
    this.track = track;
    this.name = "NoDataError";
  }
  track;
};
var SourceUnavailableError = class extends Error {
  constructor(message) {
    super(message);
    this.name = "SourceUnavailableError";
  }
};

// src/gate/run-gate.ts
var realClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve2) => setTimeout(resolve2, Math.max(0, ms)))
};
async function observe(provider, elapsedMs) {
  try {
    return { elapsedMs, samples: await provider.collect() };
  } catch (e) {
    return {
      elapsedMs,
      problem: {
        kind: e instanceof NoDataError ? "no_data" : "unreachable",
        message: errorMessage(e)
      }
    };
  }
}
function lookRecord(look, obs, decision, step) {
  const metrics = {};
  for (const m of decision.metrics) {
    metrics[m.name] = {
      canary: m.canary,
      baseline: m.baseline,
      effect: m.effect?.estimate,
      lower: m.effect?.lower,
      upper: m.effect?.upper,
      status: m.status
    };
  }
  return {
    look,
    t: obs.elapsedMs / 1e3,
    verdict: decision.verdict,
    ...step === void 0 ? {} : { step },
    problem: obs.problem,
    metrics
  };
}
async function runGate(options) {
  const { settings, provider, intervalMs, steps } = options;
  const clock = options.clock ?? realClock;
  const startedAt = clock.now();
  let state = initialJudgeState(settings);
  const looks = [];
  let lastDecision;
  let stepIndex = 0;
  const share = () => steps?.percents[stepIndex];
  if (provider.start) {
    await provider.start().then(
      () => void 0,
      (e) => options.onStartError?.(errorMessage(e))
    );
  }
  for (let look = 1; ; look++) {
    await clock.sleep(startedAt + look * intervalMs - clock.now());
    const down = await options.tracksDown?.();
    if (down) {
      const metrics = lastDecision?.metrics ?? [];
      const decision2 = { verdict: "inconclusive", ...down, metrics };
      return { decision: decision2, looks, state, ...stepOf(share()) };
    }
    const obs = await observe(provider, look * intervalMs);
    const judged = judge(settings, state, obs);
    state = judged.state;
    const decision = steps ? holdPass(judged.decision, steps, stepIndex, obs.elapsedMs) : judged.decision;
    lastDecision = decision;
    const record = lookRecord(look, obs, decision, share());
    looks.push(record);
    options.onLook?.(record, decision);
    if (decision.verdict !== "continue") return { decision, looks, state, ...stepOf(share()) };
    const next = steps?.percents[stepIndex + 1];
    if (steps && next !== void 0 && obs.elapsedMs >= (stepIndex + 1) * steps.durationMs) {
      try {
        await steps.raise(next);
      } catch (e) {
        const message = `could not raise the traffic share to ${next}%: ${errorMessage(e)}`;
        const failed = { verdict: "inconclusive", reason: "step_failed", message };
        return {
          decision: { ...failed, metrics: decision.metrics },
          looks,
          state,
          ...stepOf(share())
        };
      }
      stepIndex += 1;
      steps.onRaise?.(next, look);
    }
  }
}
var stepOf = (step) => step === void 0 ? {} : { step };
function holdPass(decision, steps, stepIndex, elapsedMs) {
  const last = steps.percents.length - 1;
  if (decision.verdict !== "pass") return decision;
  if (stepIndex === last && elapsedMs >= steps.percents.length * steps.durationMs) return decision;
  return {
    ...decision,
    verdict: "continue",
    reason: "running",
    message: `shown inside the bounds at ${steps.percents[stepIndex]}%, held until the last step (${steps.percents[last]}%) has run`
  };
}

// src/metrics/prometheus.ts
var RetryableError = class extends Error {
};
var whole2 = (v) => Math.max(0, Math.round(v));
var PrometheusSource = class {
  constructor(options) {
    this.options = options;
    this.fetch = options.fetch ?? fetch;
    this.now = options.now ?? Date.now;
  }
  options;
  kind = "prometheus";
  fetch;
  now;
  startedAt;
  /** Rounded cumulative counts of the previous look, per track, metric and series (le). */
  previous = /* @__PURE__ */ new Map();
  async start() {
    this.startedAt = this.now();
  }
  /** The one HTTP chokepoint: GET /api/v1/query with retries on network errors and 5xx. */
  async query(promql, time) {
    const { url, timeoutMs, retries, authorization: authorization2 } = this.options;
    const params = new URLSearchParams({ query: promql });
    if (time !== void 0) params.set("time", time.toFixed(3));
    const endpoint = `${url.replace(/\/+$/, "")}/api/v1/query?${params}`;
    let last;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0)
        await new Promise((r) => setTimeout(r, (this.options.retryDelayMs ?? 250) * attempt));
      try {
        const res = await this.fetch(endpoint, {
          headers: { accept: "application/json", ...authorization2 ? { authorization: authorization2 } : {} },
          signal: AbortSignal.timeout(timeoutMs)
        });
        if (res.status >= 500) throw new RetryableError(`HTTP ${res.status}`);
        const body = await res.json();
        if (!res.ok || body.status !== "success")
          throw new SourceUnavailableError(
            `Prometheus rejected the query ${promql}: ${body.error ?? `HTTP ${res.status}`}`
          );
        const data = body.data;
        if (data?.resultType === "scalar") {
          const v = data.result;
          return [{ metric: {}, value: v }];
        }
        if (data?.resultType !== "vector" || !Array.isArray(data.result)) {
          throw new SourceUnavailableError(
            `Prometheus returned ${data?.resultType ?? "nothing"} for ${promql}; expected an instant vector`
          );
        }
        return data.result;
      } catch (e) {
        if (e instanceof SourceUnavailableError) throw e;
        last = e;
      }
    }
    throw new SourceUnavailableError(
      `Prometheus at ${url} unreachable after ${retries + 1} attempts: ${errorMessage(last)}`
    );
  }
  async single(promql, time) {
    const items = await this.query(promql, time);
    if (items.length === 0) return void 0;
    const v = Number(items[0]?.value[1]);
    return Number.isFinite(v) ? v : void 0;
  }
  /**
   * This look's parts of one metric's cumulative counts (numerator and denominator, or every
   * bucket), all or none. A total that fell by more than extrapolation jitter means a series
   * left the sum (a restarted pod's): like the scrape source's restart, the metric starts
   * again from these totals and this look is skipped for the track, so that no part is a
   * difference and another a fresh count. Small dips (extrapolation) count as no change.
   */
  deltas(key, totals) {
    const now = totals.map(([part, v]) => [`${key}\0${part}`, whole2(v)]);
    const fell = now.some(([k, v]) => {
      const before = this.previous.get(k) ?? 0;
      return before - v > Math.max(1, 0.01 * before);
    });
    const parts = now.map(([k, v]) => {
      const before = this.previous.get(k) ?? 0;
      this.previous.set(k, fell ? v : Math.max(before, v));
      return Math.max(0, v - before);
    });
    return fell ? void 0 : parts;
  }
  async sample(track, metric, vars, look) {
    const q = metricQueries(metric, vars, look.window);
    const key = `${track}\0${metric.name}`;
    if (q.kind === "counts") {
      const [numerator, denominator] = await Promise.all([
        this.single(q.numerator, look.time),
        this.single(q.denominator, look.time)
      ]);
      if (denominator === void 0) return void 0;
      const parts = this.deltas(key, [
        ["n", numerator ?? 0],
        ["d", denominator]
      ]);
      if (!parts) return void 0;
      const [n, d] = parts;
      return { kind: "counts", numerator: Math.min(n, d), denominator: d };
    }
    if (q.kind === "buckets") {
      const items = await this.query(q.buckets, look.time);
      const totals = items.map((i) => ({
        le: i.metric.le === "+Inf" ? Infinity : Number(i.metric.le),
        total: Number(i.value[1])
      })).filter((b) => !Number.isNaN(b.le) && Number.isFinite(b.total)).sort((a, b) => a.le - b.le);
      const parts = this.deltas(
        key,
        totals.map((b) => [String(b.le), b.total])
      );
      if (!parts) return void 0;
      const buckets = totals.map((b, i) => ({ le: b.le, count: parts[i] ?? 0 }));
      for (let i = 1; i < buckets.length; i++)
        buckets[i].count = Math.max(
          buckets[i].count,
          buckets[i - 1].count
        );
      return buckets.length ? { kind: "buckets", buckets, count: buckets.at(-1)?.count ?? 0 } : void 0;
    }
    const value = await this.single(q.value, look.time);
    return value === void 0 ? void 0 : { kind: "value", value };
  }
  async track(name, look) {
    const vars = this.options.vars[name];
    if (!vars) throw new NoDataError(`no ${name} track is read`, name);
    const settled = await Promise.allSettled(
      this.options.metrics.map(
        async (m) => [m.name, await this.sample(name, m, vars, look)]
      )
    );
    const failed = settled.find((r) => r.status === "rejected");
    if (failed) throw failed.reason;
    const entries = settled.flatMap((r) => r.status === "fulfilled" ? [r.value] : []);
    const out = Object.fromEntries(entries.filter(([, s]) => s !== void 0));
    if (Object.keys(out).length === 0)
      throw new NoDataError(
        `Prometheus has no series of the gate's metrics for the ${name} track`,
        name
      );
    return out;
  }
  async collect() {
    const now = this.now();
    this.startedAt ??= now - (parseDuration(this.options.vars.canary.interval) ?? 0);
    const look = { time: now / 1e3, window: promDuration(now - this.startedAt) };
    const before = new Map(this.previous);
    const [canary, baseline, stable] = await Promise.allSettled([
      this.track("canary", look),
      this.track("baseline", look),
      this.options.vars.stable ? this.track("stable", look) : Promise.resolve(void 0)
    ]);
    if (canary.status === "fulfilled" && baseline.status === "fulfilled") {
      if (stable.status === "rejected") this.restore(before, "stable");
      const s = stable.status === "fulfilled" ? stable.value : void 0;
      return { canary: canary.value, baseline: baseline.value, ...s ? { stable: s } : {} };
    }
    this.restore(before);
    throw canary.status === "rejected" ? canary.reason : baseline.reason;
  }
  /** Puts back the previous look's cumulative counts (of one track, or of all). */
  restore(before, track) {
    for (const k of [...this.previous.keys()])
      if (!track || k.startsWith(`${track}\0`)) this.previous.delete(k);
    for (const [k, v] of before)
      if (!track || k.startsWith(`${track}\0`)) this.previous.set(k, v);
  }
};

// src/metrics/prometheus-text.ts
var TextFormatError = class extends Error {
  name = "TextFormatError";
};
function parseValue(text, line) {
  if (text === "+Inf" || text === "Inf") return Infinity;
  if (text === "-Inf") return -Infinity;
  if (text === "NaN") return NaN;
  const v = Number(text);
  if (text === "" || Number.isNaN(v))
    throw new TextFormatError(`line ${line}: invalid value "${text}"`);
  return v;
}
function parseLabels(s, start, line) {
  const labels = {};
  let i = start + 1;
  const skipSpaces = () => {
    while (s[i] === " " || s[i] === "	") i++;
  };
  for (; ; ) {
    skipSpaces();
    if (s[i] === "}") return { labels, end: i + 1 };
    const nameMatch = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(s.slice(i));
    if (!nameMatch)
      throw new TextFormatError(`line ${line}: expected a label name at column ${i + 1}`);
    const name = nameMatch[0];
    i += name.length;
    skipSpaces();
    if (s[i] !== "=") throw new TextFormatError(`line ${line}: expected = after label ${name}`);
    i++;
    skipSpaces();
    if (s[i] !== '"')
      throw new TextFormatError(`line ${line}: expected a quoted value for label ${name}`);
    i++;
    let value = "";
    for (; ; ) {
      const ch = s[i];
      if (ch === void 0)
        throw new TextFormatError(`line ${line}: unterminated value of label ${name}`);
      if (ch === '"') break;
      if (ch === "\\") {
        const next = s[i + 1];
        value += next === "n" ? "\n" : next === "\\" ? "\\" : next === '"' ? '"' : `\\${next ?? ""}`;
        i += 2;
        continue;
      }
      value += ch;
      i++;
    }
    labels[name] = value;
    i++;
    skipSpaces();
    if (s[i] === ",") i++;
    else if (s[i] !== "}")
      throw new TextFormatError(`line ${line}: expected , or } after label ${name}`);
  }
}
function parsePrometheusText(text) {
  const samples = [];
  const types = {};
  text.split("\n").forEach((raw, idx) => {
    const line = idx + 1;
    const s = raw.trim();
    if (s === "") return;
    if (s.startsWith("#")) {
      const m = /^#\s+TYPE\s+(\S+)\s+(\S+)/.exec(s);
      if (m) types[m[1]] = m[2];
      return;
    }
    const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(s);
    if (!nameMatch) throw new TextFormatError(`line ${line}: expected a metric name`);
    const name = nameMatch[0];
    let i = name.length;
    let labels = {};
    if (s[i] === "{") ({ labels, end: i } = parseLabels(s, i, line));
    const rest = s.slice(i).trim().split(/\s+/);
    samples.push({ name, labels, value: parseValue(rest[0] ?? "", line) });
  });
  return { samples, types };
}

// src/metrics/scrape.ts
var fetchText = async (url, timeoutMs) => {
  const res = await fetch(url, {
    signal: AbortSignal.timeout(timeoutMs),
    headers: { accept: "text/plain;version=0.0.4" }
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.text();
};
var seriesKey = (s) => `${s.name}${JSON.stringify(Object.entries(s.labels).sort(([a], [b]) => a < b ? -1 : 1))}`;
function matches(s, want) {
  return Object.entries(want).every(([k, v]) => s.labels[k] === v);
}
var MONOTONE_SUFFIXES = ["_total", "_bucket", "_count", "_sum"];
function isMonotone(name, types) {
  const family = types[name] ?? MONOTONE_SUFFIXES.map(
    (x) => name.endsWith(x) ? types[name.slice(0, -x.length)] : void 0
  ).find((t) => t !== void 0);
  return family === "counter" || family === "histogram";
}
function restarted(cur, prev) {
  for (const [key, s] of cur.series) {
    const before = prev.series.get(key);
    if (!before) continue;
    if (s.name === "process_start_time_seconds" && s.value !== before.value) return true;
    if (cur.monotone.has(key) && s.value < before.value) return true;
  }
  return false;
}
function increase(cur, prev) {
  const before = prev.series.get(seriesKey(cur));
  return before ? Math.max(0, cur.value - before.value) : cur.value;
}
var EMPTY = { series: /* @__PURE__ */ new Map(), monotone: /* @__PURE__ */ new Set() };
function sumIncrease(deltas, name, want) {
  let found = false;
  let sum = 0;
  for (const d of deltas) {
    for (const s of d.cur.series.values()) {
      if (s.name !== name || !matches(s, want)) continue;
      found = true;
      sum += increase(s, d.prev);
    }
  }
  return found ? sum : void 0;
}
function bucketIncrease(deltas, name, want) {
  const byLe = /* @__PURE__ */ new Map();
  for (const d of deltas) {
    for (const s of d.cur.series.values()) {
      if (s.name !== `${name}_bucket` || !matches(s, want) || s.labels.le === void 0) continue;
      const le = s.labels.le === "+Inf" ? Infinity : Number(s.labels.le);
      byLe.set(le, (byLe.get(le) ?? 0) + increase(s, d.prev));
    }
  }
  if (byLe.size === 0) return void 0;
  return [...byLe.entries()].sort(([a], [b]) => a - b).map(([le, count]) => ({ le, count }));
}
function trackSamples(metrics, deltas, vars) {
  const out = {};
  for (const m of metrics) {
    const want = renderLabels(m.labels, vars);
    let sample;
    if (m.type === "ratio") {
      const numerator = sumIncrease(deltas, m.numerator, want) ?? 0;
      const denominator = sumIncrease(deltas, m.denominator, want);
      if (denominator !== void 0 && numerator <= denominator)
        sample = { kind: "counts", numerator, denominator };
    } else if (m.type === "histogram" || m.type === "distribution") {
      const buckets = bucketIncrease(deltas, m.metric, want);
      if (buckets && buckets.every((b, i) => i === 0 || b.count >= (buckets[i - 1]?.count ?? 0)))
        sample = {
          kind: "buckets",
          buckets,
          count: buckets.at(-1)?.count ?? 0,
          sum: sumIncrease(deltas, `${m.metric}_sum`, want)
        };
    } else if (m.type === "gauge") {
      const values = deltas.flatMap(
        (d) => [...d.cur.series.values()].filter((s) => s.name === m.metric && matches(s, want)).map((s) => s.value)
      );
      if (values.length)
        sample = { kind: "value", value: values.reduce((a, b) => a + b, 0) / values.length };
    }
    if (sample) out[m.name] = sample;
  }
  return out;
}
var ScrapeSource = class {
  constructor(options) {
    this.options = options;
    this.fetchText = options.fetchText ?? fetchText;
  }
  options;
  kind = "scrape";
  last = /* @__PURE__ */ new Map();
  fetchText;
  async scrape(url) {
    try {
      const { samples, types } = parsePrometheusText(
        await this.fetchText(url, this.options.timeoutMs)
      );
      return {
        series: new Map(samples.map((s) => [seriesKey(s), s])),
        monotone: new Set(samples.filter((s) => isMonotone(s.name, types)).map(seriesKey))
      };
    } catch (e) {
      throw new SourceUnavailableError(`scrape ${url}: ${errorMessage(e)}`);
    }
  }
  async start() {
    const { canary, baseline, stable } = this.options.tracks;
    const first = async (u) => {
      this.last.set(u, await this.scrape(u));
    };
    await Promise.all([
      ...[...canary.urls, ...baseline.urls].map(first),
      Promise.allSettled((stable?.urls ?? []).map(first))
    ]);
  }
  async track(name) {
    const t = this.options.tracks[name];
    if (!t || t.urls.length === 0)
      throw new NoDataError(`the ${name} track has no metrics URL`, name);
    const snapshots = await Promise.all(t.urls.map((u) => this.scrape(u)));
    const deltas = [];
    t.urls.forEach((u, i) => {
      const prev = this.last.get(u);
      const cur = snapshots[i];
      this.last.set(u, cur);
      if (prev) deltas.push({ cur, prev: restarted(cur, prev) ? EMPTY : prev });
    });
    const samples = deltas.length ? trackSamples(this.options.metrics, deltas, t.vars) : {};
    if (Object.keys(samples).length === 0) {
      throw new NoDataError(
        deltas.length ? `no series of the gate's metrics on the ${name} track (${t.urls.join(", ")})` : `first scrape of the ${name} track: no difference yet`,
        name
      );
    }
    return samples;
  }
  async collect() {
    const [canary, baseline, stable] = await Promise.all([
      this.track("canary"),
      this.track("baseline"),
      this.stableTrack()
    ]);
    return { canary, baseline, ...stable ? { stable } : {} };
  }
  /** The stable track's samples, or nothing when it has none or cannot be read this look. */
  async stableTrack() {
    if (!this.options.tracks.stable) return void 0;
    try {
      return await this.track("stable");
    } catch (e) {
      if (e instanceof NoDataError || e instanceof SourceUnavailableError) return void 0;
      throw e;
    }
  }
};

// src/metrics/scrape-pods.ts
function createPodScrapeSource(options) {
  const paths = { canary: [], baseline: [], stable: [] };
  const stable = options.vars.stable;
  const inner = new ScrapeSource({
    metrics: options.metrics,
    tracks: {
      canary: { urls: paths.canary, vars: options.vars.canary },
      baseline: { urls: paths.baseline, vars: options.vars.baseline },
      ...stable ? { stable: { urls: paths.stable, vars: stable } } : {}
    },
    timeoutMs: options.timeoutMs,
    fetchText: (path, timeoutMs) => options.client.fetchText(path, timeoutMs)
  });
  async function refresh() {
    for (const track of ["canary", "baseline"]) {
      const now = await options.client.metricsPaths(track);
      paths[track].splice(0, paths[track].length, ...now);
    }
    if (stable) {
      const now = await options.client.metricsPaths("stable").catch(() => []);
      paths.stable.splice(0, paths.stable.length, ...now);
    }
  }
  return {
    kind: "scrape",
    async start() {
      await refresh();
      await inner.start();
    },
    async collect() {
      await refresh();
      return inner.collect();
    }
  };
}

// src/metrics/factory.ts
function authorization(ctx) {
  const p = ctx.gate.prometheus;
  const read = (name) => {
    const v = ctx.variable(name);
    if (!v) throw new ConfigError([`gate.prometheus: env ${name} is empty or unset`]);
    ctx.addSecret(v);
    return v;
  };
  if (p.bearerTokenEnv) return `Bearer ${read(p.bearerTokenEnv)}`;
  if (p.basicAuthEnv) return `Basic ${Buffer.from(read(p.basicAuthEnv)).toString("base64")}`;
  return void 0;
}
function createMetricProvider(ctx) {
  const kind = ctx.gate.source;
  const { canary, baseline, stable } = ctx.tracks;
  const vars = {
    canary: canary.vars,
    baseline: baseline.vars,
    ...stable ? { stable: stable.vars } : {}
  };
  switch (kind) {
    case "scrape":
      if (ctx.pods) {
        return createPodScrapeSource({
          metrics: ctx.gate.metrics,
          vars,
          timeoutMs: ctx.gate.prometheus.timeout,
          client: ctx.pods
        });
      }
      return new ScrapeSource({
        metrics: ctx.gate.metrics,
        tracks: ctx.tracks,
        timeoutMs: ctx.gate.prometheus.timeout
      });
    case "prometheus": {
      const url = ctx.gate.prometheus.url;
      if (!url)
        throw new ConfigError(["gate.prometheus.url: required when gate.source is prometheus"]);
      return new PrometheusSource({
        url,
        metrics: ctx.gate.metrics,
        vars,
        timeoutMs: ctx.gate.prometheus.timeout,
        retries: ctx.gate.prometheus.retries,
        authorization: authorization(ctx)
      });
    }
    default:
      throw new ConfigError([
        `gate.source: unknown source "${kind}"; expected one of: scrape, prometheus`
      ]);
  }
}

// src/stages/gate.ts
function nextStep(verdict, onInconclusive) {
  if (verdict === "pass") return "promote";
  if (verdict === "fail") return "rollback";
  return onInconclusive;
}
function trackOf(status2, track) {
  return status2.tracks.find((t) => t.track === track);
}
async function runGateStage(ctx, options = {}) {
  const { config, log } = ctx;
  const gate = config.gate;
  if (gate.metrics.length === 0)
    throw new ConfigError([
      "gate.metrics: declare at least one metric to compare (see docs/gate.md)"
    ]);
  const target = await createDeployTarget(ctx);
  let load;
  let loadStats;
  try {
    const status2 = await target.status();
    const canary = trackOf(status2, "canary");
    const baseline = trackOf(status2, "baseline");
    const stable = gate.stableMargin === void 0 ? void 0 : trackOf(status2, "stable");
    if (!canary || !baseline) {
      throw new CheckFailedError(
        "no canary and baseline are running: run the deploy stage first",
        "no_canary",
        { exitCode: ExitCode.checkFailed }
      );
    }
    const k8s = config.deploy.kubernetes;
    const vars = (track, version) => ({
      track,
      namespace: gate.namespace,
      deployment: gate.deployment ?? k8s?.deployment ?? "",
      version: version ?? "",
      interval: promDuration(gate.interval)
    });
    const pods = gate.source === "scrape" ? target.podMetrics : void 0;
    await pods?.check();
    const provider = createMetricProvider({
      gate,
      variable: ctx.inputs.variable,
      ...pods ? { pods } : {},
      addSecret: (v) => ctx.secrets.add(v),
      tracks: {
        canary: { urls: canary.metricsUrls ?? [], vars: vars("canary", canary.release?.version) },
        baseline: {
          urls: baseline.metricsUrls ?? [],
          vars: vars("baseline", baseline.release?.version)
        },
        ...stable ? {
          stable: {
            urls: stable.metricsUrls ?? [],
            vars: vars("stable", stable.release?.version)
          }
        } : {}
      }
    });
    if (gate.load) {
      if (!status2.frontUrl)
        throw new CheckFailedError(
          "gate.load: the deploy target reports no front URL to send requests to",
          "no_front_url"
        );
      const url = `${status2.frontUrl.replace(/\/+$/, "")}${gate.load.path}`;
      load = startLoad({
        file: resolve(ctx.root, gate.load.file),
        url,
        rps: gate.load.rps,
        labelled: gate.load.labelled
      });
      log.info(`gate.load: ${gate.load.rps} rps from ${gate.load.file} to ${url}`);
    }
    log.info(
      `gate: ${gate.metrics.length} metric(s) from ${provider.kind}, a look every ${formatDuration(gate.interval)}, pass no earlier than ${formatDuration(gate.minDuration)}, at most ${formatDuration(gate.maxDuration)}, alpha ${gate.alpha}`
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
      ...steps ? { steps } : {}
    });
    await recordVerdict(ctx, target, canary, run.decision);
    await provider.close?.();
    loadStats = await load?.stop();
    load = void 0;
    return gateOutcome({
      gate,
      reportPath: join(ctx.reports.reportsDir, "gate.json"),
      decision: run.decision,
      looks: run.looks,
      source: provider.kind,
      load: loadStats,
      ...steps ? { steps: { percents: steps.percents, at: run.step } } : {}
    });
  } finally {
    if (load) await load.stop().catch((e) => log.warn(`gate.load: ${errorMessage(e)}`));
    await target.dispose?.();
  }
}
async function startSteps(ctx, target) {
  const { steps, stepDuration } = ctx.config.deploy;
  const first = steps?.[0];
  if (!steps || first === void 0) return void 0;
  await target.setTrafficShare(first);
  ctx.log.info(
    `gate: steps ${steps.map((p) => `${p}%`).join(" \u2192 ")} (canary and baseline each), ${formatDuration(stepDuration)} each; one judge carries its evidence across them`
  );
  return {
    percents: steps,
    durationMs: stepDuration,
    raise: async (percent2) => void await target.setTrafficShare(percent2),
    onRaise: (percent2, look) => ctx.log.info(
      `gate: raised to ${percent2}% each after look ${look}; the evidence so far carries on`
    )
  };
}
async function tracksDown(target) {
  const alive = await target.liveness();
  if (!alive.canary)
    return {
      reason: "canary_down",
      message: "the canary is not running (process exited or no pod available)"
    };
  if (!alive.baseline)
    return {
      reason: "baseline_down",
      message: "the baseline is not running (process exited or no pod available)"
    };
  return void 0;
}
async function recordVerdict(ctx, target, canary, decision) {
  if (decision.verdict === "continue" || !canary.release) return;
  const record = {
    verdict: decision.verdict,
    reason: decision.reason,
    canary: canaryIdentity(canary.release, canary.deployedAt ?? "unknown"),
    at: (/* @__PURE__ */ new Date()).toISOString()
  };
  try {
    await target.recordVerdict(record);
  } catch (e) {
    ctx.log.warn(
      `gate: could not record the verdict on the target (${errorMessage(e)}); promote will refuse this canary`
    );
  }
}
function lookLine(look) {
  const metrics = Object.entries(look.metrics).map(([name, m]) => `${name} ${m.status}`).join(", ");
  const step = look.step === void 0 ? "" : ` at ${look.step}%`;
  return `gate look ${look.look} (${look.t}s${step}): ${look.problem ? `${look.problem.kind}: ${look.problem.message}` : metrics} \u2192 ${look.verdict}`;
}
function gateOutcome(options) {
  const { gate, decision, looks, steps } = options;
  const extra = { source: options.source, load: options.load };
  const report = options.reportPath;
  const next = nextStep(decision.verdict, gate.onInconclusive);
  const unreachable = decision.reason === "source_unreachable" && looks.every((l) => l.problem?.kind === "unreachable");
  return {
    status: decision.verdict === "pass" ? "success" : "failure",
    reason: decision.reason,
    message: `${decision.verdict}${steps?.at === void 0 ? "" : ` at step ${steps.at}%`}: ${decision.message}`,
    details: {
      verdict: decision.verdict,
      next,
      onInconclusive: gate.onInconclusive,
      source: extra.source,
      alpha: gate.alpha,
      intervalSeconds: gate.interval / 1e3,
      metrics: decision.metrics,
      bounds: Object.fromEntries(decision.metrics.map((m) => [m.name, m.bounds])),
      looks,
      ...steps ? { steps: steps.percents, step: steps.at } : {},
      load: extra.load
    },
    ...decision.verdict === "pass" ? {} : { exitCode: unreachable ? ExitCode.environment : ExitCode.checkFailed },
    outputs: { verdict: decision.verdict, reason: decision.reason, report },
    summary: gateSummary(decision, {
      looks: looks.length,
      source: extra.source,
      next,
      ...steps ? { steps: steps.percents, step: steps.at } : {}
    })
  };
}
var gateStage = {
  name: "gate",
  description: "compare the canary with its baseline at every interval; pass, fail or inconclusive",
  run: (ctx) => runGateStage(ctx)
};
export {
  gateOutcome,
  gateStage,
  nextStep,
  runGateStage
};
