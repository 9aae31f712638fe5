#!/usr/bin/env node
import { createRequire as __mdCreateRequire } from 'node:module';
const require = __mdCreateRequire(import.meta.url);
import {
  renderTemplate
} from "./chunk-chunk-FZYHBISI.js";

// src/analysis/queries.ts
function promDuration(ms) {
  return `${Math.max(1, Math.round(ms / 1e3))}s`;
}
function escapeLabelValue(v) {
  return v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}
function renderLabels(labels, vars) {
  return Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, renderTemplate(v, vars)]));
}
function selector(labels) {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return parts.length ? `{${parts.join(",")}}` : "";
}
function metricQueries(metric, vars, window = vars.interval) {
  const sel = selector(renderLabels(metric.labels, vars));
  const inc = (name) => `sum(increase(${name}${sel}[${window}]))`;
  switch (metric.type) {
    case "ratio":
      return {
        kind: "counts",
        numerator: inc(metric.numerator),
        denominator: inc(metric.denominator)
      };
    case "histogram":
    case "distribution":
      return {
        kind: "buckets",
        buckets: `sum by (le) (increase(${metric.metric}_bucket${sel}[${window}]))`
      };
    case "gauge":
      return { kind: "value", value: `avg(${metric.metric}${sel})` };
    case "query":
      return { kind: "value", value: renderTemplate(metric.query, vars) };
  }
}

export {
  promDuration,
  renderLabels,
  metricQueries
};
