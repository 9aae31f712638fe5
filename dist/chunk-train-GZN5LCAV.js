#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  trainChecksTable
} from "./chunk-chunk-OVV3SQR6.js";
import {
  runGit
} from "./chunk-chunk-OHQVI3ZY.js";
import {
  runCommand,
  toArgv
} from "./chunk-chunk-GXSRNDTE.js";
import {
  displayCommand
} from "./chunk-chunk-VV2JPDBC.js";
import "./chunk-chunk-Q3LNTHG7.js";
import "./chunk-chunk-YOU5EUFK.js";
import {
  formatDuration
} from "./chunk-chunk-PF54JKQR.js";
import {
  CheckFailedError,
  ConfigError,
  DeliveryError,
  EnvironmentError,
  ExitCode,
  errorMessage
} from "./chunk-chunk-JOF44I4G.js";
import "./chunk-chunk-YW753B3X.js";

// src/stages/train.ts
import { existsSync as existsSync2, readFileSync as readFileSync2 } from "node:fs";
import { resolve as resolve2 } from "node:path";

// src/train/baseline.ts
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

// src/train/metrics-file.ts
var MetricsFileError = class extends Error {
};
function flattenMetrics(value, prefix = "") {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new MetricsFileError(
      prefix ? `value at "${prefix}" must be a number or an object` : "expected a JSON object of metrics"
    );
  }
  const out = {};
  for (const [key, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof v === "number") {
      if (!Number.isFinite(v))
        throw new MetricsFileError(`value at "${path}" is ${v}; metrics must be finite numbers`);
      out[path] = v;
    } else if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      Object.assign(out, flattenMetrics(v, path));
    } else {
      const kind = v === null ? "null" : Array.isArray(v) ? "a list" : `a ${typeof v} (${JSON.stringify(v)})`;
      throw new MetricsFileError(`value at "${path}" is ${kind}; metrics must be numbers`);
    }
  }
  return out;
}
function parseMetricsJson(text) {
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new MetricsFileError(`not valid JSON (${e.message})`);
  }
  return flattenMetrics(parsed);
}

// src/train/baseline.ts
async function readBaseline(root, source) {
  const from = source.ref ? `${source.ref}:${source.file}` : source.file;
  let text;
  if (source.ref) {
    const fetchHint = "fetch the base branch (actions/checkout with fetch-depth: 0)";
    let result;
    try {
      result = await runGit(root, ["show", `${source.ref}:./${source.file}`]);
    } catch (e) {
      if (e instanceof EnvironmentError)
        return { error: `cannot read ${from}: ${errorMessage(e)}` };
      throw e;
    }
    if (result.exitCode !== 0) {
      return { error: `cannot read ${from} with git (${result.tail[0] ?? ""}); ${fetchHint}` };
    }
    text = result.stdout;
  } else {
    const path = resolve(root, source.file);
    if (!existsSync(path)) return { error: `${source.file} does not exist` };
    text = readFileSync(path, "utf8");
  }
  try {
    return { metrics: parseMetricsJson(text), from };
  } catch (e) {
    if (e instanceof MetricsFileError) return { error: `${from}: ${e.message}` };
    throw e;
  }
}
function defaultBaselineRef(configured, baseRef) {
  return configured ?? (baseRef ? `origin/${baseRef}` : void 0);
}

// src/train/checks.ts
var LOWER_IS_BETTER = /(loss|error|err|latency|rmse|mse|mae|perplexity|duration|time)/i;
function lowerIsBetter(metric) {
  return LOWER_IS_BETTER.test(metric.split(".").at(-1) ?? metric);
}
function allowedRegression(amount, baseline) {
  return typeof amount === "number" ? amount : Math.abs(baseline) * Number(amount.slice(0, -1)) / 100;
}
function checkMetrics(input) {
  const names = /* @__PURE__ */ new Set([
    ...Object.keys(input.metrics),
    ...Object.keys(input.thresholds),
    ...Object.keys(input.maxRegression)
  ]);
  return [...names].sort().map((metric) => {
    const value = input.metrics[metric];
    const problems = [];
    const t = input.thresholds[metric];
    const rule = input.maxRegression[metric];
    const base = input.baseline?.[metric];
    const check = { metric, value, baseline: base, status: "pass", problems };
    if (t)
      check.threshold = [
        t.min !== void 0 ? `\u2265 ${t.min}` : "",
        t.max !== void 0 ? `\u2264 ${t.max}` : ""
      ].filter(Boolean).join(", ");
    if (value === void 0) {
      if (t || rule) problems.push(`${metric} is missing from the metrics file`);
    } else {
      if (t?.min !== void 0 && value < t.min)
        problems.push(`${metric} = ${value} is below the minimum ${t.min}`);
      if (t?.max !== void 0 && value > t.max)
        problems.push(`${metric} = ${value} is above the maximum ${t.max}`);
      if (base !== void 0) check.delta = value - base;
      if (rule !== void 0 && base !== void 0) {
        const { max, better } = typeof rule === "object" ? rule : { max: rule, better: lowerIsBetter(metric) ? "lower" : "higher" };
        const allowed = allowedRegression(max, base);
        check.allowed = `${better === "higher" ? "\u2212" : "+"}${typeof max === "number" ? max : `${max} (${Number(allowed.toPrecision(4))})`}`;
        const regression = better === "higher" ? base - value : value - base;
        if (regression > allowed + 1e-12) {
          problems.push(
            `${metric} regressed from ${base} to ${value} (${better} is better; allowed ${typeof max === "number" ? max : max} of the baseline)`
          );
        }
      }
    }
    check.status = problems.length ? "fail" : "pass";
    return check;
  });
}

// src/stages/train.ts
function smokeArgs(smoke) {
  return Object.entries(smoke).flatMap(
    ([k, v]) => v === false ? [] : v === true ? [`--${k}`] : [`--${k}`, String(v)]
  );
}
async function runTrain(ctx) {
  const { config, log, root } = ctx;
  const train = config.train;
  if (!train.command)
    throw new ConfigError([
      'train.command: required to run the train stage (e.g. "python train.py")'
    ]);
  const argv = [...toArgv(train.command), ...smokeArgs(train.smoke)];
  const result = await log.group(
    `train: ${displayCommand(argv)}`,
    () => runCommand({
      command: argv,
      label: "train.command",
      cwd: root,
      timeoutMs: train.timeout,
      log,
      env: { ...ctx.env, ...train.env, MODEL_DELIVERY_SMOKE: "1" }
    })
  );
  if (result.exitCode !== 0) {
    throw new CheckFailedError(
      `train.command: \`${displayCommand(argv)}\` exited with code ${result.exitCode}
${result.tail.slice(-10).join("\n")}`,
      "training_failed",
      { exitCode: result.exitCode }
    );
  }
  const metrics = readMetricsFile(root, train.metricsFile, displayCommand(argv));
  let baseline;
  let baselineNote = "no baseline configured";
  if (train.baseline.file) {
    const ref = defaultBaselineRef(train.baseline.ref, ctx.github.baseRef);
    const read = await readBaseline(root, { file: train.baseline.file, ref });
    if ("error" in read) {
      if (train.baseline.required)
        throw new CheckFailedError(`train.baseline: ${read.error}`, "baseline_missing");
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
    maxRegression: train.baseline.maxRegression
  });
  const failed = checks.filter((c) => c.status === "fail");
  for (const c of failed)
    for (const p of c.problems) log.error(p, { title: `Training check failed: ${c.metric}` });
  const thresholdFailed = failed.some((c) => c.problems.some((p) => !p.includes("regressed")));
  return {
    status: failed.length ? "failure" : "success",
    reason: failed.length ? thresholdFailed ? "threshold_failed" : "regression" : "ok",
    message: failed.length ? failed.flatMap((c) => c.problems).join("; ") : `${Object.keys(metrics).length} metrics within thresholds (${formatDuration(result.durationMs)})`,
    details: {
      metrics,
      baseline,
      baselineNote,
      checks,
      failed: failed.map((c) => c.metric),
      durationMs: result.durationMs
    },
    outputs: { metrics: JSON.stringify(metrics) },
    summary: trainChecksTable(checks, baselineNote)
  };
}
function readMetricsFile(root, file, command) {
  const path = resolve2(root, file);
  if (!existsSync2(path)) {
    throw new CheckFailedError(
      `train.metricsFile: ${file} was not written by \`${command}\` (looked for ${path}); make the training write it or fix train.metricsFile`,
      "metrics_file_missing"
    );
  }
  try {
    return parseMetricsJson(readFileSync2(path, "utf8"));
  } catch (e) {
    if (e instanceof MetricsFileError)
      throw new DeliveryError(
        `train.metricsFile ${file}: ${e.message}; make the training write a JSON object of numbers`,
        "metrics_file_invalid",
        ExitCode.usage
      );
    throw e;
  }
}
var trainStage = {
  name: "train",
  description: "run the smoke training; check its metrics against thresholds and the baseline",
  run: runTrain
};
export {
  smokeArgs,
  trainStage
};
